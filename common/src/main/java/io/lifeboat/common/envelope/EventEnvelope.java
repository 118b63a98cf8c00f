package io.lifeboat.common.envelope;

import io.lifeboat.common.Require;
import io.lifeboat.common.event.EventType;
import io.lifeboat.common.event.EventTypes;

import java.net.URI;
import java.time.Instant;

/**
 * A CloudEvents 1.0 event: the envelope attributes and the data record. On Kafka it travels in binary mode — the
 * attributes as {@code ce_*} headers, the data as the JSON value (see {@link CloudEventsKafka}).
 *
 * @param id      unique per event; consumers are idempotent on it
 * @param source  the producing component, e.g. {@code /lifeboat/collector/ovirt-dc1}
 * @param subject the entity the event is about; equal to the Kafka key
 */
public record EventEnvelope<T>(String id, URI source, EventType<T> type, Instant time, String subject, T data) {

    public EventEnvelope {
        Require.text(id, "id");
        Require.field(source, "source");
        Require.field(type, "type");
        Require.field(time, "time");
        Require.text(subject, "subject");
        Require.field(data, "data");
        if (!type.dataClass().isInstance(data)) {
            throw new IllegalArgumentException("data of " + type.type() + " must be a " + type.dataClass().getSimpleName());
        }
    }

    /** A new event with a new time-ordered id ({@link EventIds}), the current time, and the subject set to the Kafka key. */
    public static <T> EventEnvelope<T> create(URI source, T data) {
        return create(source, data, Instant.now());
    }

    public static <T> EventEnvelope<T> create(URI source, T data, Instant time) {
        EventType<T> type = EventTypes.forData(data);
        return new EventEnvelope<>(EventIds.next(), source, type, time, type.keyFor(data), data);
    }

    public String key() {
        return type.keyFor(data);
    }

    @SuppressWarnings("unchecked")
    public <U> U dataAs(Class<U> cls) {
        return cls.cast(data);
    }
}
