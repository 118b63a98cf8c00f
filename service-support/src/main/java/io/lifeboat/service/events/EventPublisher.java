package io.lifeboat.service.events;

import io.lifeboat.common.envelope.CloudEventsKafka;
import io.lifeboat.common.envelope.EventEnvelope;
import io.lifeboat.common.topic.Topic;
import io.lifeboat.service.kafka.KafkaSettings;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes events to the topic their type belongs to, in CloudEvents binary mode, keyed as the catalogue says, and
 * tombstones to compacted topics. One idempotent producer per service (acks=all); every wait is bounded by the
 * producer's delivery timeout, so an unreachable broker is a failure after seconds, never a hang.
 */
@ApplicationScoped
public class EventPublisher {

    /** A little over the producer's delivery timeout: by then every send has completed one way or the other. */
    private static final Duration WAIT = Duration.ofSeconds(35);

    @Inject
    Config config;

    @ConfigProperty(name = "quarkus.application.name", defaultValue = "lifeboat")
    String service;

    private Producer<String, byte[]> producer;

    @PostConstruct
    void open() {
        producer = new KafkaProducer<>(KafkaSettings.from(config).producer(service + "-publisher"));
    }

    @PreDestroy
    void close() {
        // Runs after the consumers and relays stopped (they stop on ShutdownEvent): what they sent is flushed.
        producer.close(Duration.ofSeconds(10));
    }

    /** Completes when the broker has acknowledged the record (acks=all), or fails with the reason. */
    public CompletionStage<RecordMetadata> publish(EventEnvelope<?> event) {
        return send(CloudEventsKafka.toRecord(event));
    }

    /** A delete marker on a compacted topic: the key with no value. */
    public CompletionStage<RecordMetadata> tombstone(Topic topic, String key) {
        if (!topic.compacted()) {
            throw new IllegalArgumentException(topic.topicName() + " is not compacted: tombstones mean nothing there");
        }
        return send(new ProducerRecord<>(topic.topicName(), key, null));
    }

    /** Any record (dead letters, replays). */
    public CompletionStage<RecordMetadata> send(ProducerRecord<String, byte[]> record) {
        CompletableFuture<RecordMetadata> done = new CompletableFuture<>();
        try {
            producer.send(record, (metadata, e) -> {
                if (e != null) {
                    done.completeExceptionally(e);
                } else {
                    done.complete(metadata);
                }
            });
        } catch (RuntimeException e) {
            // max.block.ms passed without metadata (broker unreachable), or the record is invalid
            done.completeExceptionally(e);
        }
        return done;
    }

    /** Publishes all and waits for every acknowledgement; fails with the first failure if any failed. */
    public void publishAllAndWait(List<EventEnvelope<?>> events) {
        sendAllAndWait(events.stream().map(CloudEventsKafka::toRecord).toList());
    }

    /**
     * Sends all and waits for every acknowledgement; fails with the first failure if any failed. A send that fails at
     * once (the broker unreachable: no metadata within {@code max.block.ms}) ends the batch there: each further send
     * would block as long again, and a cycle of a thousand states would hang for hours instead of failing in seconds.
     */
    public void sendAllAndWait(List<ProducerRecord<String, byte[]>> records) {
        List<CompletableFuture<RecordMetadata>> acks = new ArrayList<>(records.size());
        for (ProducerRecord<String, byte[]> r : records) {
            CompletableFuture<RecordMetadata> ack = send(r).toCompletableFuture();
            acks.add(ack);
            if (ack.isCompletedExceptionally()) {
                break;
            }
        }
        await(acks);
    }

    /** Publishes and waits; for callers that must not continue before the event is durable. */
    public void publishAndWait(EventEnvelope<?> event) {
        await(List.of(publish(event).toCompletableFuture()));
    }

    /** Waits for every send; throws {@link PublishException} with the first failure. */
    public static void await(List<? extends CompletableFuture<?>> sends) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Throwable first = null;
        for (CompletableFuture<?> f : sends) {
            try {
                f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                first = first == null ? e.getCause() : first;
            } catch (TimeoutException e) {
                first = first == null ? e : first;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PublishException("interrupted while waiting for Kafka", e);
            }
        }
        if (first != null) {
            throw new PublishException("publishing to Kafka failed: " + describe(first), first);
        }
    }

    static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    /** Kafka did not take a record (unreachable, timed out, or refused it). */
    public static class PublishException extends RuntimeException {
        public PublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
