package io.lifeboat.common.deadletter;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dead-letter contract: what a consumer adds to a record it gives up on, and how such records are read back and
 * replayed. A record in {@code <topic>.dlq} keeps its original key, value and headers and gains the
 * {@code dead-letter-*} headers below (the names SmallRye's dead-letter queue used, plus the consuming service and a
 * stable reason code). Replaying sends it back to its original topic without them; consumers are idempotent on
 * {@code ce_id}, so what was already applied is dropped.
 */
public final class DeadLetters {

    public static final String REASON = "dead-letter-reason";
    public static final String REASON_CODE = "dead-letter-reason-code";
    public static final String TOPIC = "dead-letter-topic";
    public static final String PARTITION = "dead-letter-partition";
    public static final String OFFSET = "dead-letter-offset";
    public static final String EXCEPTION = "dead-letter-exception-class-name";
    public static final String SERVICE = "dead-letter-service";
    public static final String CHANNEL = "dead-letter-channel";
    /** Set on a replayed record: the dead letter it came from, {@code <dlq>/<partition>/<offset>}. */
    public static final String REPLAYED_FROM = "lifeboat-replayed-from";

    private DeadLetters() {
    }

    /** One record of a dead-letter topic, with its headers read. */
    public record DeadLetter(String dlq, int partition, long offset, Instant at, String originalTopic,
                             Integer originalPartition, Long originalOffset, String service, String reasonCode,
                             String reason, String exceptionClass, String key, boolean tombstone,
                             ConsumerRecord<String, byte[]> record) {

        /** Where the record was first read: {@code topic/partition/offset}, or the DLQ position if unknown. */
        public String origin() {
            return originalTopic == null || originalPartition == null || originalOffset == null
                    ? dlq + "/" + partition + "/" + offset
                    : originalTopic + "/" + originalPartition + "/" + originalOffset;
        }
    }

    /** The dead-letter headers for a record that {@code service} gave up on. */
    public static List<Header> headers(ConsumerRecord<?, ?> original, String service, String channel,
                                       String reasonCode, String reason, Throwable cause) {
        List<Header> h = new ArrayList<>();
        h.add(text(REASON, reason));
        h.add(text(REASON_CODE, reasonCode));
        h.add(text(TOPIC, original.topic()));
        h.add(text(PARTITION, Integer.toString(original.partition())));
        h.add(text(OFFSET, Long.toString(original.offset())));
        h.add(text(SERVICE, service));
        h.add(text(CHANNEL, channel));
        if (cause != null) {
            h.add(text(EXCEPTION, cause.getClass().getName()));
        }
        return h;
    }

    /** The dead letter for a record: its own headers (minus any earlier dead-letter headers) plus the new ones. */
    public static ProducerRecord<String, byte[]> deadLetter(ConsumerRecord<String, byte[]> original, String service,
                                                            String channel, String reasonCode, String reason,
                                                            Throwable cause) {
        Headers headers = new RecordHeaders();
        for (Header h : original.headers()) {
            if (!isDeadLetterHeader(h.key())) {
                headers.add(h);
            }
        }
        headers(original, service, channel, reasonCode, reason, cause).forEach(headers::add);
        return new ProducerRecord<>(original.topic() + ".dlq", null, original.key(), original.value(), headers);
    }

    /** The record that puts a dead letter back on its original topic. */
    public static ProducerRecord<String, byte[]> replay(DeadLetter d) {
        if (d.originalTopic() == null) {
            throw new IllegalArgumentException("dead letter " + d.dlq() + "/" + d.partition() + "/" + d.offset()
                    + " does not name its original topic");
        }
        Headers headers = new RecordHeaders();
        for (Header h : d.record().headers()) {
            if (!isDeadLetterHeader(h.key()) && !REPLAYED_FROM.equals(h.key())) {
                headers.add(h);
            }
        }
        headers.add(text(REPLAYED_FROM, d.dlq() + "/" + d.partition() + "/" + d.offset()));
        return new ProducerRecord<>(d.originalTopic(), null, d.key(), d.record().value(), headers);
    }

    /**
     * Reads a dead-letter topic from {@code since} (null: from the beginning) up to its end as it is now.
     *
     * @param consumer a consumer with String keys and byte[] values, not subscribed to anything; left assigned
     */
    public static List<DeadLetter> read(Consumer<String, byte[]> consumer, String dlq, Instant since,
                                        Duration timeout) {
        List<PartitionInfo> infos = consumer.partitionsFor(dlq, timeout);
        if (infos == null || infos.isEmpty()) {
            return List.of();
        }
        List<TopicPartition> parts = infos.stream().map(p -> new TopicPartition(dlq, p.partition())).toList();
        consumer.assign(parts);
        Map<TopicPartition, Long> end = consumer.endOffsets(parts, timeout);
        if (since == null) {
            consumer.seekToBeginning(parts);
        } else {
            Map<TopicPartition, Long> query = new HashMap<>();
            parts.forEach(p -> query.put(p, since.toEpochMilli()));
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, timeout);
            for (TopicPartition p : parts) {
                OffsetAndTimestamp o = found.get(p);
                consumer.seek(p, o == null ? end.get(p) : o.offset());
            }
        }
        List<DeadLetter> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (parts.stream().anyMatch(p -> consumer.position(p, timeout) < end.get(p))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("reading " + dlq + " took longer than " + timeout.toSeconds() + " s");
            }
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
                    out.add(of(r));
                }
            }
        }
        return out;
    }

    /** Reads the dead-letter headers of a DLQ record. */
    public static DeadLetter of(ConsumerRecord<String, byte[]> r) {
        Headers h = r.headers();
        return new DeadLetter(r.topic(), r.partition(), r.offset(), Instant.ofEpochMilli(r.timestamp()),
                text(h, TOPIC), number(h, PARTITION) == null ? null : number(h, PARTITION).intValue(),
                number(h, OFFSET), text(h, SERVICE), text(h, REASON_CODE), text(h, REASON), text(h, EXCEPTION),
                r.key(), r.value() == null, r);
    }

    /**
     * The records to replay: at most one per original record (several services may have dead-lettered the same
     * record, and a record may have been dead-lettered again after a replay), oldest first.
     */
    public static List<DeadLetter> distinctOrigins(List<DeadLetter> letters) {
        Set<String> seen = new LinkedHashSet<>();
        List<DeadLetter> out = new ArrayList<>();
        for (DeadLetter d : letters) {
            if (seen.add(d.origin())) {
                out.add(d);
            }
        }
        return out;
    }

    static boolean isDeadLetterHeader(String key) {
        return key.startsWith("dead-letter-");
    }

    private static Header text(String key, String value) {
        return new RecordHeader(key, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(Headers headers, String key) {
        Header h = headers.lastHeader(key);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static Long number(Headers headers, String key) {
        String t = text(headers, key);
        try {
            return t == null ? null : Long.parseLong(t.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
