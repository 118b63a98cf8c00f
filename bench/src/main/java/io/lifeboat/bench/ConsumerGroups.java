package io.lifeboat.bench;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.ConsumerGroupState;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The consumer groups of the local stack, as the mapping benchmark waits on them. */
final class ConsumerGroups {

    private ConsumerGroups() {
    }

    /**
     * Waits until every other consumer group of the topic (the evacuation-service, the watchdog-service) has committed
     * up to its end: their share of the backlog would otherwise run beside the raw read and the drain.
     */
    static void othersCaughtUp(String kafka, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
            Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
            admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                    .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            Map<TopicPartition, Long> end = new java.util.HashMap<>();
            admin.listOffsets(latest).all().get().forEach((tp, info) -> end.put(tp, info.offset()));
            List<String> groups = admin.listConsumerGroups().all().get().stream().map(g -> g.groupId())
                    .filter(g -> g.startsWith("lifeboat-") && !g.equals("lifeboat-mapping")).toList();
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            for (String group : groups) {
                while (true) {
                    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                            .partitionsToOffsetAndMetadata().get();
                    boolean consumesTopic = committed.keySet().stream().anyMatch(tp -> tp.topic().equals(topic));
                    if (!consumesTopic || end.entrySet().stream().allMatch(e -> committed.get(e.getKey()) != null
                            && committed.get(e.getKey()).offset() >= e.getValue())) {
                        break;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(group + " did not consume the backlog within 10 minutes");
                    }
                    Thread.sleep(200);
                }
            }
        }
    }

    /** Waits until the mapping-service's group is stable and its members own every partition of the topic. */
    static void stable(String kafka, String topic, long deadline) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
            while (true) {
                ConsumerGroupDescription g = admin.describeConsumerGroups(List.of("lifeboat-mapping")).all().get()
                        .get("lifeboat-mapping");
                long owned = g.members().stream().flatMap(m -> m.assignment().topicPartitions().stream())
                        .filter(tp -> tp.topic().equals(topic)).distinct().count();
                if (g.state() == ConsumerGroupState.STABLE && owned == partitions) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the mapping-service's group did not settle within 15 minutes");
                }
                Thread.sleep(20);
            }
        }
    }
}
