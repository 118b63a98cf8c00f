package io.lifeboat.service.pipeline;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** How a batch keeps order while it is split to find the record at fault, and what it commits. */
class BatchTest {

    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);

    private static Batch batch() {
        Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> m = new HashMap<>();
        List<ConsumerRecord<String, byte[]>> p0 = new ArrayList<>();
        List<ConsumerRecord<String, byte[]>> p1 = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            p0.add(new ConsumerRecord<>("t", 0, 10 + i, "k" + i, new byte[0]));
            p1.add(new ConsumerRecord<>("t", 1, 20 + i, "j" + i, new byte[0]));
        }
        m.put(P0, p0);
        m.put(P1, p1);
        Batch b = new Batch(new ConsumerRecords<>(m, Map.of()));
        b.ready();
        return b;
    }

    private static List<Long> offsets(List<Batch.Item> chunk) {
        return chunk.stream().map(i -> i.record.offset()).toList();
    }

    @Test
    void splittingKeepsEveryRecordInItsOrder() {
        Batch b = batch();
        List<Batch.Item> all = b.pending.peekFirst();
        assertThat(all).hasSize(8);
        b.split(all);
        List<Long> order = new ArrayList<>();
        b.pending.forEach(c -> order.addAll(offsets(c)));
        assertThat(order).isEqualTo(offsets(all));
        assertThat(b.pending).hasSize(2);
        // the first half is tried first
        assertThat(offsets(b.pending.peekFirst())).isEqualTo(offsets(all.subList(0, 4)));
    }

    @Test
    void offsetsToCommitAreOnePastTheLastRecordOfEachAssignedPartition() {
        Batch b = batch();
        Map<TopicPartition, OffsetAndMetadata> o = b.offsets(Set.of(P0, P1));
        assertThat(o.get(P0).offset()).isEqualTo(14);
        assertThat(o.get(P1).offset()).isEqualTo(24);
        // a partition no longer ours is not committed
        assertThat(b.offsets(Set.of(P1))).containsOnlyKeys(P1);
    }

    @Test
    void aRevokedPartitionsRecordsLeaveTheBatch() {
        Batch b = batch();
        b.split(b.pending.peekFirst());
        b.drop(List.of(P0));
        List<String> left = new ArrayList<>();
        b.pending.forEach(c -> c.forEach(i -> left.add(i.record.topic() + "-" + i.record.partition())));
        assertThat(left).containsOnly("t-1").hasSize(4);
        assertThat(b.offsets(Set.of(P0, P1))).containsOnlyKeys(P1);
    }

    @Test
    void retractedVerdictsGoBackInTheirOriginalOrder() {
        Batch b = batch();
        List<Batch.Item> all = new ArrayList<>(b.pending.removeFirst());
        // two records judged poison for an unknown reason, the rest still pending
        Batch.Item x = all.get(2);
        Batch.Item y = all.get(5);
        x.poison("processing", "NPE", new NullPointerException());
        x.unknownFailure = true;
        y.poison("processing", "NPE", new NullPointerException());
        y.unknownFailure = true;
        b.poison.add(x);
        b.poison.add(y);
        List<Batch.Item> rest = new ArrayList<>(all);
        rest.remove(x);
        rest.remove(y);
        b.pending.add(rest);
        assertThat(b.retractUnknownPoison()).isEqualTo(2);
        assertThat(b.poison).isEmpty();
        assertThat(b.pending).hasSize(1);
        assertThat(offsets(b.pending.peekFirst())).isEqualTo(offsets(all));
        assertThat(x.poisonCode).isNull();
    }
}
