package io.lifeboat.bench;

import io.lifeboat.common.envelope.CloudEventsKafka;
import io.lifeboat.common.envelope.EventEnvelope;
import io.lifeboat.common.event.EventTypes;
import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.id.SourceId;
import io.lifeboat.common.id.SourceKind;
import io.lifeboat.common.id.VmKey;
import io.lifeboat.common.inventory.ClusterRef;
import io.lifeboat.common.inventory.CpuTopology;
import io.lifeboat.common.inventory.Deletion;
import io.lifeboat.common.inventory.DiskStorageType;
import io.lifeboat.common.inventory.HighAvailability;
import io.lifeboat.common.inventory.HostRef;
import io.lifeboat.common.inventory.LunInfo;
import io.lifeboat.common.inventory.VmDisk;
import io.lifeboat.common.inventory.VmState;
import io.lifeboat.common.inventory.VmStatus;
import io.lifeboat.common.lun.LunWwid;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * VM-state events through the local stack's broker: publish N CloudEvents (acks=all, as services do), then consume
 * them back and decode each one. The consumer figure is the ceiling any Lifeboat consumer can reach on this machine.
 */
final class KafkaRoundTrip {

    private KafkaRoundTrip() {
    }

    static void run(String bootstrap, int events) throws Exception {
        String topic = "lifeboat.bench.roundtrip." + System.currentTimeMillis();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 6, (short) 1))).all().get(30, TimeUnit.SECONDS);
            try {
                measure(bootstrap, topic, events);
            } finally {
                admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static void measure(String bootstrap, String topic, int events) throws Exception {
        URI source = URI.create("/lifeboat/bench");
        long bytes = 0;
        long t0 = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, "5",
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"), new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < events; i++) {
                ProducerRecord<String, byte[]> r = CloudEventsKafka.toRecord(EventEnvelope.create(source, vm(i)));
                bytes += r.value().length;
                producer.send(new ProducerRecord<>(topic, null, r.key(), r.value(), r.headers()));
            }
            producer.flush();
        }
        double produceSec = (System.nanoTime() - t0) / 1e9;

        long t1 = System.nanoTime();
        int consumed = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "bench-" + System.nanoTime(),
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (consumed < events && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    CloudEventsKafka.decode(r.headers(), r.value(), EventTypes.VM_STATE);
                    consumed++;
                }
            }
        }
        double consumeSec = (System.nanoTime() - t1) / 1e9;
        if (consumed != events) {
            throw new IllegalStateException("consumed " + consumed + " of " + events + " events");
        }
        new BenchReport("kafka-roundtrip")
                .parameter("events", events)
                .parameter("payload", "lifeboat.vm.state.v1 with 3 disks (2 LUNs)")
                .parameter("broker", bootstrap)
                .figure("avgEventBytes", "average event size", (double) bytes / events, "bytes")
                .figure("produceEventsPerSec", "publish (acks=all, lz4)", events / produceSec, "events/s")
                .figure("produceMBPerSec", "publish", bytes / produceSec / 1e6, "MB/s")
                .figure("consumeEventsPerSec", "consume + decode", events / consumeSec, "events/s")
                .figure("consumeMBPerSec", "consume + decode", bytes / consumeSec / 1e6, "MB/s")
                .print();
    }

    /** A realistic VM: three disks, two of them direct LUNs, two IPs. */
    static VmState vm(int i) {
        SourceId src = SourceId.of("bench");
        HostKey host = HostKey.of(src, "host-" + (i % 1000));
        List<VmDisk> disks = List.of(
                new VmDisk("disk-" + i + "-0", "boot", 21474836480L, "virtio_scsi", DiskStorageType.IMAGE, "sd-1",
                        true, null),
                new VmDisk("disk-" + i + "-1", "data", 107374182400L, "virtio_scsi", DiskStorageType.LUN, null, false,
                        LunInfo.of(wwid(2 * i).toString(), "IBM", "2145", "SIBM_2145_" + i, 107374182400L)),
                new VmDisk("disk-" + i + "-2", "logs", 53687091200L, "virtio_scsi", DiskStorageType.LUN, null, false,
                        LunInfo.of(wwid(2 * i + 1).toString(), "IBM", "2145", "SIBM_2145_" + i + "b", 53687091200L)));
        return new VmState(VmKey.of(src, "vm-" + i), SourceKind.OVIRT, "vm-" + i, new ClusterRef("c-1", "prod-a"),
                new HostRef(host, "hv-" + (i % 1000)), VmStatus.RUNNING, "up", null,
                List.of("10.1." + (i / 250 % 250) + "." + (i % 250), "fd00::" + Integer.toHexString(i)),
                8589934592L, new CpuTopology(2, 2, 1), disks, new HighAvailability(i % 3 == 0, 50), null,
                "leave_paused", null, Deletion.NONE, Map.of(), List.of(), null, Instant.now());
    }

    private static LunWwid wwid(int n) {
        return LunWwid.parse(String.format("600507680c8081b2e8%014x", n));
    }
}
