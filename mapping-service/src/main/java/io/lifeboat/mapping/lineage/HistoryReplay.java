package io.lifeboat.mapping.lineage;

import io.lifeboat.common.envelope.CloudEventsKafka;
import io.lifeboat.common.event.EventTypes;
import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.id.StorageDomainKey;
import io.lifeboat.common.id.VmKey;
import io.lifeboat.common.topic.Topic;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Rebuilds the whole history from the topics, through the same code the live consumers use: empties the history
 * tables and the idempotency inbox, then reads each topic from the beginning. The history must come out identical
 * (the replay test checks it). Run it while the live consumers are idle; the compacted inventory topics keep their
 * uncompacted tail for {@code min.compaction.lag.ms} (7 days), which bounds how far back a replay reaches.
 */
@ApplicationScoped
public class HistoryReplay {

    @Inject
    EntityManager em;

    @Inject
    HostHistory hosts;

    @Inject
    VmHistory vms;

    @Inject
    StorageDomainHistory domains;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Transactional
    public void clear() {
        for (String table : List.of("host_interval", "vm_interval", "vm_disk_interval", "storage_domain_lun_interval",
                "processed_event")) {
            em.createNativeQuery("truncate table " + table).executeUpdate();
        }
    }

    /** Returns the number of records applied. */
    public long rebuild() {
        clear();
        long n = 0;
        n += replay(Topic.INVENTORY_HOSTS, r -> {
            if (CloudEventsKafka.isTombstone(r.value())) {
                hosts.hostRemoved(HostKey.parse(r.key()), Instant.ofEpochMilli(r.timestamp()));
            } else {
                hosts.apply(CloudEventsKafka.decode(r.headers(), r.value(), EventTypes.HOST_STATE));
            }
        });
        n += replay(Topic.INVENTORY_VMS, r -> {
            if (CloudEventsKafka.isTombstone(r.value())) {
                vms.removed(VmKey.parse(r.key()), Instant.ofEpochMilli(r.timestamp()));
            } else {
                vms.apply(CloudEventsKafka.decode(r.headers(), r.value(), EventTypes.VM_STATE));
            }
        });
        n += replay(Topic.INVENTORY_STORAGE_DOMAINS, r -> {
            if (CloudEventsKafka.isTombstone(r.value())) {
                domains.removed(StorageDomainKey.parse(r.key()), Instant.ofEpochMilli(r.timestamp()));
            } else {
                domains.apply(CloudEventsKafka.decode(r.headers(), r.value(), EventTypes.STORAGE_DOMAIN_STATE));
            }
        });
        return n;
    }

    @FunctionalInterface
    private interface Apply {
        void accept(ConsumerRecord<String, byte[]> r);
    }

    private long replay(Topic topic, Apply apply) {
        long n = 0;
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "lifeboat-mapping-replay-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1000"), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic.topicName()).stream()
                    .map(p -> new TopicPartition(topic.topicName(), p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            while (parts.stream().anyMatch(p -> c.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    try {
                        apply.accept(r);
                    } catch (IllegalArgumentException | io.lifeboat.common.envelope.EventDecodingException e) {
                        // a record the live consumer sent to the DLQ: skipped here too
                    }
                    n++;
                }
            }
        }
        return n;
    }
}
