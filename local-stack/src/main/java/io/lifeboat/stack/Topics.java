package io.lifeboat.stack;

import io.lifeboat.common.topic.Topic;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./lifeboat topics}: the catalogue's topics on the running broker with how many records each holds (end minus
 * start offsets; a compacted topic may hold fewer than were written).
 */
public final class Topics {

    private Topics() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = "127.0.0.1:" + System.getenv().getOrDefault("LIFEBOAT_KAFKA_PORT", "9092");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000"))) {
            System.out.printf("%-44s %10s %10s%n", "topic", "partitions", "records");
            for (Topic t : Topic.values()) {
                for (String name : List.of(t.topicName(), t.dlqName())) {
                    TopicDescription d = admin.describeTopics(List.of(name)).allTopicNames().get(10, TimeUnit.SECONDS)
                            .get(name);
                    Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
                    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                    d.partitions().forEach(p -> {
                        earliest.put(new TopicPartition(name, p.partition()), OffsetSpec.earliest());
                        latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest());
                    });
                    var start = admin.listOffsets(earliest).all().get(10, TimeUnit.SECONDS);
                    var end = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
                    long records = end.entrySet().stream()
                            .mapToLong(e -> e.getValue().offset() - start.get(e.getKey()).offset()).sum();
                    System.out.printf("%-44s %10d %10d%n", name, d.partitions().size(), records);
                }
            }
        }
    }
}
