package io.lifeboat.service.pipeline;

import io.lifeboat.common.envelope.CloudEventsKafka;
import io.lifeboat.common.envelope.EventDecodingException;
import io.lifeboat.common.envelope.EventEnvelope;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A record → an {@link Inbound}, or a poison verdict with its reason: the CloudEvents envelope and the data as the
 * contract says (type, topic, key, id), then the handler's own checks. Nothing here touches the outside world, so a
 * record that fails here fails every time.
 */
final class Decoding {

    private Decoding() {
    }

    static <T> void decode(EventHandler<T> handler, Batch.Item item) {
        try {
            Inbound<T> in = inbound(handler, item.record);
            item.inbound = in;
            handler.validate(in);
        } catch (EventDecodingException e) {
            item.poison("decode", e.getMessage(), e);
        } catch (RuntimeException e) {
            item.poison("contract", Failures.describe(e), e);
        }
    }

    static <T> Inbound<T> inbound(EventHandler<T> handler, ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            if (!handler.acceptsTombstones()) {
                throw new PoisonRecordException("a record without a value (a tombstone) on " + r.topic()
                        + ", which is not compacted: it means nothing here");
            }
            if (r.key() == null || r.key().isBlank()) {
                throw new PoisonRecordException("a tombstone without a key");
            }
            return new Inbound<>(Inbound.positionId(r), "tombstone", null, r);
        }
        EventEnvelope<?> e = handler.type() == null ? CloudEventsKafka.decode(r.headers(), r.value())
                : CloudEventsKafka.decode(r.headers(), r.value(), handler.type());
        if (e.type().topic() != handler.topic()) {
            throw new PoisonRecordException("event type '" + e.type().type() + "' belongs on "
                    + e.type().topic().topicName() + ", not on " + r.topic());
        }
        if (e.id().length() > 128) {
            throw new PoisonRecordException("ce_id is " + e.id().length() + " characters long (at most 128)");
        }
        String key = e.key();
        if (r.key() == null || !r.key().equals(key)) {
            throw new PoisonRecordException("the record's key '" + abbreviate(r.key()) + "' is not the catalogue's"
                    + " key for this event ('" + abbreviate(key) + "'): its order with the item's other events is lost");
        }
        @SuppressWarnings("unchecked")
        EventEnvelope<T> typed = (EventEnvelope<T>) e;
        return new Inbound<>(e.id(), e.type().type(), typed, r);
    }

    static String abbreviate(String s) {
        return s == null ? "null" : s.length() > 120 ? s.substring(0, 120) + "…" : s;
    }
}
