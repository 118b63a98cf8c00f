package io.lifeboat.service.events;

import io.lifeboat.common.envelope.CloudEventsKafka;
import io.lifeboat.common.envelope.EventEnvelope;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Publishes events to the topic their type belongs to, in CloudEvents binary mode, keyed as the catalogue says.
 * Every service configures one outgoing channel, {@code lifeboat-out}, with string keys and byte-array values.
 */
@ApplicationScoped
public class EventPublisher {

    public static final String CHANNEL = "lifeboat-out";

    @Inject
    @Channel(CHANNEL)
    Emitter<byte[]> emitter;

    /** Completes when the broker has acknowledged the record (acks=all), or fails with the reason. */
    public CompletionStage<Void> publish(EventEnvelope<?> event) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(event.type().topic().topicName())
                .withKey(event.key())
                .withHeaders(new RecordHeaders(CloudEventsKafka.headers(event)))
                .build();
        emitter.send(Message.of(CloudEventsKafka.data(event))
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

    /** Publishes and waits; for callers that must not continue before the event is durable. */
    public void publishAndWait(EventEnvelope<?> event) {
        publish(event).toCompletableFuture().join();
    }
}
