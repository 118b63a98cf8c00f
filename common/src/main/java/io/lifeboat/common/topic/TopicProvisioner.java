package io.lifeboat.common.topic;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates the catalogue's topics and their dead-letter companions where missing. Used by the local stack and the
 * test broker; in production the platform team applies the topic definitions under {@code deploy/}.
 */
public final class TopicProvisioner {

    private TopicProvisioner() {
    }

    public static List<NewTopic> catalogue(short replicationFactor) {
        List<NewTopic> topics = new ArrayList<>();
        for (Topic t : Topic.values()) {
            topics.add(new NewTopic(t.topicName(), t.partitions(), replicationFactor).configs(t.configs()));
            topics.add(new NewTopic(t.dlqName(), 1, replicationFactor).configs(Topic.dlqConfigs()));
        }
        return topics;
    }

    /** Creates what is missing; returns the names created. */
    public static List<String> ensure(Admin admin, short replicationFactor)
            throws InterruptedException, ExecutionException, TimeoutException {
        Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        List<NewTopic> missing = catalogue(replicationFactor).stream()
                .filter(t -> !existing.contains(t.name()))
                .toList();
        if (!missing.isEmpty()) {
            admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
        }
        return missing.stream().map(NewTopic::name).toList();
    }
}
