package io.lifeboat.service.pipeline;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The records of one poll and how far they got: the chunks still to apply (the whole batch at first; halves of a
 * chunk that failed for a reason other than the infrastructure, down to the one record at fault), the poison records
 * to dead-letter, and the offsets to commit when all is done. It survives retries, so a chunk committed before a
 * stall is not applied again.
 */
final class Batch {

    /** One record and what became of it. */
    static final class Item {
        final int index;
        final ConsumerRecord<String, byte[]> record;
        Inbound<?> inbound;
        String poisonCode;
        String poisonReason;
        Throwable poisonCause;
        int failures;
        boolean unknownFailure;
        boolean deadLettered;

        Item(int index, ConsumerRecord<String, byte[]> record) {
            this.index = index;
            this.record = record;
        }

        void poison(String code, String reason, Throwable cause) {
            this.poisonCode = code;
            this.poisonReason = reason;
            this.poisonCause = cause;
        }

        TopicPartition partition() {
            return new TopicPartition(record.topic(), record.partition());
        }
    }

    final List<Item> items = new ArrayList<>();
    final Deque<List<Item>> pending = new ArrayDeque<>();
    final List<Item> poison = new ArrayList<>();
    final Map<TopicPartition, Long> nextOffsets = new HashMap<>();
    int applied;
    int duplicates;

    Batch(ConsumerRecords<String, byte[]> records) {
        for (TopicPartition tp : records.partitions()) {
            for (ConsumerRecord<String, byte[]> r : records.records(tp)) {
                items.add(new Item(items.size(), r));
                nextOffsets.merge(tp, r.offset() + 1, Math::max);
            }
        }
    }

    /** After decoding: the good records form the first chunk; the poison ones wait for their dead-letter write. */
    void ready() {
        List<Item> good = new ArrayList<>();
        for (Item i : items) {
            if (i.poisonCode == null) {
                good.add(i);
            } else {
                poison.add(i);
            }
        }
        if (!good.isEmpty()) {
            pending.add(good);
        }
    }

    /** A chunk that failed as a whole is tried as two halves, in order. */
    void split(List<Item> chunk) {
        pending.removeFirst();
        int mid = chunk.size() / 2;
        pending.addFirst(new ArrayList<>(chunk.subList(mid, chunk.size())));
        pending.addFirst(new ArrayList<>(chunk.subList(0, mid)));
    }

    /**
     * Poison verdicts reached for unknown reasons are taken back (the records go back to be applied, in order): used
     * when so many records failed alike that the fault is more likely outside them.
     */
    int retractUnknownPoison() {
        List<Item> back = poison.stream().filter(i -> i.unknownFailure && !i.deadLettered).toList();
        if (back.isEmpty()) {
            return 0;
        }
        poison.removeAll(back);
        List<Item> all = new ArrayList<>(back);
        pending.forEach(all::addAll);
        pending.clear();
        all.sort(Comparator.comparingInt(i -> i.index));
        for (Item i : all) {
            i.poison(null, null, null);
            i.failures = 0;
            i.unknownFailure = false;
        }
        pending.add(all);
        return back.size();
    }

    long unknownPoisonCount() {
        return poison.stream().filter(i -> i.unknownFailure).count();
    }

    /** Partitions taken from this consumer in a rebalance: their records are the new owner's now. */
    void drop(Collection<TopicPartition> revoked) {
        if (revoked.isEmpty()) {
            return;
        }
        for (TopicPartition tp : revoked) {
            nextOffsets.remove(tp);
        }
        poison.removeIf(i -> revoked.contains(i.partition()));
        Deque<List<Item>> kept = new ArrayDeque<>();
        for (List<Item> chunk : pending) {
            List<Item> c = chunk.stream().filter(i -> !revoked.contains(i.partition())).toList();
            if (!c.isEmpty()) {
                kept.add(new ArrayList<>(c));
            }
        }
        pending.clear();
        pending.addAll(kept);
    }

    Map<TopicPartition, OffsetAndMetadata> offsets(Collection<TopicPartition> assigned) {
        Map<TopicPartition, OffsetAndMetadata> m = new HashMap<>();
        nextOffsets.forEach((tp, next) -> {
            if (assigned.contains(tp)) {
                m.put(tp, new OffsetAndMetadata(next));
            }
        });
        return m;
    }
}
