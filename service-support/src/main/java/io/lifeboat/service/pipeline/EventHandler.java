package io.lifeboat.service.pipeline;

import io.lifeboat.common.event.EventType;
import io.lifeboat.common.topic.Topic;

import java.util.List;

/**
 * Where a topic's events enter a service. A CDI bean implementing this is consumed by the {@link Pipelines}: records
 * arrive in batches per poll, are decoded (a record that cannot be, or that breaks the contract, is dead-lettered with
 * its reason), deduplicated on their event id, and handed to {@link #apply} in one transaction per batch, in topic
 * order. A failure of the database or the broker is never the record's fault: the batch is retried, not committed,
 * until it succeeds. Implementations decide nothing about retries, transactions or dead letters.
 */
public interface EventHandler<T> {

    /** The channel's name, in configuration ({@code lifeboat.pipeline.channels.<name>.*}) and metrics. */
    String channel();

    Topic topic();

    /** The one event type accepted on this channel, or null for every type the catalogue puts on the topic. */
    EventType<T> type();

    /** Whether a key without a value is meaningful here (an item gone from a compacted topic). */
    default boolean acceptsTombstones() {
        return topic().compacted();
    }

    /**
     * True when the handler recognises a redelivered event itself, because what it stores is keyed by the event id
     * (the watchdog's raw events): the pipeline then skips its inbox for this channel, a write per event saved.
     */
    default boolean deduplicatesItself() {
        return false;
    }

    /**
     * Checks what decoding cannot (the key of a tombstone, references between fields); throws
     * {@link PoisonRecordException} (or {@link IllegalArgumentException}) for a record that can never be applied.
     */
    default void validate(Inbound<T> inbound) {
    }

    /**
     * Applies the first deliveries of a batch, in topic order, inside the batch's transaction. Throwing rolls the
     * whole batch back; the pipeline then retries it (infrastructure) or isolates the record at fault (anything else).
     */
    void apply(List<Inbound<T>> batch);
}
