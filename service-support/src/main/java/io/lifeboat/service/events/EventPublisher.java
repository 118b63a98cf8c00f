package io.lifeboat.service.events;

import io.lifeboat.common.envelope.CloudEventsKafka;
import io.lifeboat.common.envelope.EventEnvelope;
import io.lifeboat.common.topic.Topic;
import io.smallrye.reactive.messaging.kafka.Record;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Publishes events to the topic their type belongs to, in CloudEvents binary mode, keyed as the catalogue says, and
 * tombstones to compacted topics. Every service configures one outgoing channel, {@code lifeboat-out}, with string
 * keys and byte-array values.
 */
@ApplicationScoped
public class EventPublisher {

    public static final String CHANNEL = "lifeboat-out";

    /** Unbounded: a first inventory cycle publishes the whole estate at once; callers bound their own batches. */
    @Inject
    @Channel(CHANNEL)
    @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
    Emitter<Record<String, byte[]>> emitter;

    /** Completes when the broker has acknowledged the record (acks=all), or fails with the reason. */
    public CompletionStage<Void> publish(EventEnvelope<?> event) {
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(event.type().topic().topicName())
                .withKey(event.key())
                .withHeaders(new RecordHeaders(CloudEventsKafka.headers(event)))
                .build();
        return send(Record.of(event.key(), CloudEventsKafka.data(event)), metadata);
    }

    /** A delete marker on a compacted topic: the key with no value. */
    public CompletionStage<Void> tombstone(Topic topic, String key) {
        if (!topic.compacted()) {
            throw new IllegalArgumentException(topic.topicName() + " is not compacted: tombstones mean nothing there");
        }
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(topic.topicName())
                .withKey(key)
                .build();
        return send(Record.of(key, null), metadata);
    }

    /** Publishes all and waits for every acknowledgement; fails if any failed. */
    public void publishAllAndWait(List<EventEnvelope<?>> events) {
        List<CompletableFuture<Void>> acks = new ArrayList<>(events.size());
        for (EventEnvelope<?> e : events) {
            acks.add(publish(e).toCompletableFuture());
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
    }

    /** Publishes and waits; for callers that must not continue before the event is durable. */
    public void publishAndWait(EventEnvelope<?> event) {
        publish(event).toCompletableFuture().join();
    }

    private CompletionStage<Void> send(Record<String, byte[]> record, OutgoingKafkaRecordMetadata<String> metadata) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        emitter.send(Message.of(record)
                .addMetadata(metadata)
                .withAck(() -> {
                    done.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(e -> {
                    done.completeExceptionally(e);
                    return CompletableFuture.completedFuture(null);
                }));
        return done;
    }
}
