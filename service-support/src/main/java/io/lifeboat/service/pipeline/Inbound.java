package io.lifeboat.service.pipeline;

import io.lifeboat.common.envelope.EventEnvelope;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Instant;

/**
 * One record of a batch, decoded: the event, or a tombstone (a compacted topic's delete marker, no event). The id is
 * the event's {@code ce_id}; a tombstone has no event id of its own, so its position in the topic stands in for it
 * ({@code kafka:<topic>/<partition>/<offset>}): a redelivered tombstone has the same position, so it is applied once
 * like any event.
 */
public record Inbound<T>(String eventId, String eventType, EventEnvelope<T> event, ConsumerRecord<String, byte[]> record) {

    public boolean tombstone() {
        return event == null;
    }

    public T data() {
        return event.data();
    }

    public String key() {
        return record.key();
    }

    /** The record's Kafka timestamp: for a tombstone, when the item was found gone. */
    public Instant timestamp() {
        return Instant.ofEpochMilli(record.timestamp());
    }

    static String positionId(ConsumerRecord<?, ?> r) {
        return "kafka:" + r.topic() + "/" + r.partition() + "/" + r.offset();
    }
}
