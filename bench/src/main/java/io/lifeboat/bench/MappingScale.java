package io.lifeboat.bench;

import io.lifeboat.common.envelope.CloudEventsKafka;
import io.lifeboat.common.envelope.EventEnvelope;
import io.lifeboat.common.event.EventTypes;
import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.id.SourceId;
import io.lifeboat.common.id.VmKey;
import io.lifeboat.common.inventory.HostRef;
import io.lifeboat.common.inventory.VmState;
import io.lifeboat.common.inventory.VmStatus;
import io.lifeboat.common.topic.Topic;
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
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The mapping-service under load, on the local stack.
 * <ol>
 *   <li>Ingestion: N VM-state events (source {@code bench-ingest}) are published to the real VM topic; the time until
 *   the mapping-service has stored them all (its observation counter) gives events/s, beside a plain Kafka consumer
 *   reading and decoding the same records in the same run.</li>
 *   <li>Plan query at scale: 10 million history rows (source {@code bench-history}: 1,000 hosts, 20,000 VMs moving
 *   hourly, with their disk intervals) are generated inside PostgreSQL; then unmap plans of random hosts at random
 *   times are requested over REST and their latencies reported.</li>
 * </ol>
 * Both sources' rows are deleted afterwards.
 */
final class MappingScale {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private MappingScale() {
    }

    static void run(String kafka, String mapping, String jdbc, String auth, int events, int vmIntervalsPerVm,
                    int requests) throws Exception {
        try (Connection db = DriverManager.getConnection(jdbc, "lifeboat", "lifeboat")) {
            cleanup(db);
            double[] ingest = ingestion(kafka, mapping, events);
            double[] drain = drain(kafka, mapping, events);
            long rows = generateHistory(db, vmIntervalsPerVm);
            double[] latencies = planLatencies(mapping, auth, requests);
            new BenchReport("mapping-scale")
                    .parameter("events", events)
                    .parameter("historyRows", rows)
                    .parameter("planRequests", requests)
                    .figure("ingestEventsPerSec", "mapping-service ingestion (stored as intervals)", ingest[0],
                            "events/s")
                    .figure("rawConsumeEventsPerSec", "raw Kafka consumer + decode, same records, same time",
                            ingest[1], "events/s")
                    .figure("ingestShareOfRaw", "mapping ingestion as a share of the raw consumer",
                            100 * ingest[0] / ingest[1], "%")
                    .figure("busyMsPer1000", "mapping-service batch time per 1,000 events (all its consumers)",
                            ingest[2], "ms")
                    .figure("drainEventsPerSec", "backlog of the same size: the mapping-service drains it", drain[0],
                            "events/s")
                    .figure("drainRawEventsPerSec", "backlog: raw Kafka consumer + decode, idle stack", drain[1],
                            "events/s")
                    .figure("drainShareOfRaw", "backlog drain as a share of the raw consumer", 100 * drain[0] / drain[1],
                            "%")
                    .figure("historyRows", "history rows (vm_interval + vm_disk_interval)", rows, "rows")
                    .figure("planP50Ms", "unmap plan query p50", latencies[0], "ms")
                    .figure("planP99Ms", "unmap plan query p99", latencies[1], "ms")
                    .figure("planMeanEntries", "LUN entries per plan (mean)", latencies[2], "entries")
                    .print();
            cleanup(db);
        }
    }

    // ------------------------------------------------------------------ ingestion

    /**
     * The same records, at the same time, under the same load: the mapping-service stores them while a plain Kafka
     * consumer in this process reads and decodes them. Both clocks start when the first record is sent.
     */
    private static double[] ingestion(String kafka, String mapping, int events) throws Exception {
        String topic = Topic.INVENTORY_VMS.topicName();
        Map<TopicPartition, Long> start;
        try (KafkaConsumer<String, byte[]> c = consumer(kafka)) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            start = c.endOffsets(parts);
        }
        double before = metric(mapping, "lifeboat_mapping_vm_observations_total");
        double busyBefore = metric(mapping, "lifeboat_pipeline_batch_seconds_sum", "channel=\"inventory-vms\"");
        long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
        long t0 = System.nanoTime();
        java.util.concurrent.CompletableFuture<Double> raw = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            int read = 0;
            try (KafkaConsumer<String, byte[]> c = consumer(kafka)) {
                List<TopicPartition> parts = new ArrayList<>(start.keySet());
                c.assign(parts);
                start.forEach(c::seek);
                while (read < events && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                        if (r.key().startsWith("bench-ingest/")) {
                            CloudEventsKafka.decode(r.headers(), r.value(), EventTypes.VM_STATE);
                            read++;
                        }
                    }
                }
            }
            return read / ((System.nanoTime() - t0) / 1e9);
        });
        produce(kafka, events, "bench-ingest");
        while (metric(mapping, "lifeboat_mapping_vm_observations_total") < before + events) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the mapping-service did not store the events within 15 minutes");
            }
            Thread.sleep(50);
        }
        double ingestSec = (System.nanoTime() - t0) / 1e9;
        double busy = metric(mapping, "lifeboat_pipeline_batch_seconds_sum", "channel=\"inventory-vms\"") - busyBefore;
        return new double[] {events / ingestSec, raw.get(), busy * 1000 * 1000 / events};
    }

    /**
     * A backlog: the mapping-service's process is stopped (SIGSTOP) while the events are written and the other
     * services consume them (the bench waits for their groups to commit the end); a plain consumer reads and decodes
     * the backlog on the then idle stack, three times, the fastest counting; the process is
     * continued (SIGCONT) and timed from the moment its group is stable again with every partition assigned (the
     * broker dropped its consumers while the process was stopped) until it has applied the backlog. Local stack only.
     */
    private static double[] drain(String kafka, String mapping, int events) throws Exception {
        String port = URI.create(mapping).getPort() + "";
        ProcessHandle service = ProcessHandle.allProcesses().filter(p -> p.info().commandLine().map(c ->
                c.contains("-Dquarkus.http.port=" + port) && c.contains("mapping-service")).orElse(false))
                .findFirst().orElseThrow(() -> new IllegalStateException("no mapping-service process on port " + port
                        + " on this machine: the backlog phase runs on the local stack only"));
        String topic = Topic.INVENTORY_VMS.topicName();
        Map<TopicPartition, Long> start;
        try (KafkaConsumer<String, byte[]> c = consumer(kafka)) {
            start = c.endOffsets(c.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition()))
                    .toList());
        }
        double before = metric(mapping, "lifeboat_mapping_vm_observations_total");
        signal(service, "STOP");
        try {
            produce(kafka, events, "bench-drain");
            ConsumerGroups.othersCaughtUp(kafka, topic);   // the raw read and the drain then run on a quiet stack
        } catch (Exception e) {
            signal(service, "CONT");
            throw e;
        }
        // The best of three reads: the raw consumer's JIT and the broker's page cache are warm, the bar is highest.
        double raw = 0;
        for (int pass = 0; pass < 3; pass++) {
            long t0 = System.nanoTime();
            int read = 0;
            try (KafkaConsumer<String, byte[]> c = consumer(kafka)) {
                c.assign(new ArrayList<>(start.keySet()));
                start.forEach(c::seek);
                while (read < events) {
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                        if (r.key().startsWith("bench-drain/")) {
                            CloudEventsKafka.decode(r.headers(), r.value(), EventTypes.VM_STATE);
                            read++;
                        }
                    }
                }
            }
            raw = Math.max(raw, read / ((System.nanoTime() - t0) / 1e9));
        }
        signal(service, "CONT");
        long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
        // Timed from the moment the group is stable again with every partition of the topic assigned: the rejoin after
        // the stop is not ingestion. (Timing from the first applied batch measured the rebalance too: consumers woken
        // after the broker dropped them apply a batch or two of their old assignment, then stop for the rebalance.)
        ConsumerGroups.stable(kafka, topic, deadline);
        double first = metric(mapping, "lifeboat_mapping_vm_observations_total");
        long t1 = System.nanoTime();
        double now;
        while ((now = metric(mapping, "lifeboat_mapping_vm_observations_total")) < before + events) {
            check(deadline);
            Thread.sleep(100);   // each poll renders all metrics in the service measured: not too often
        }
        return new double[] {(now - first) / ((System.nanoTime() - t1) / 1e9), raw};
    }

    private static void check(long deadline) {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("the mapping-service did not drain the backlog within 15 minutes");
        }
    }

    private static void signal(ProcessHandle p, String signal) throws Exception {
        new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start().waitFor();
    }

    private static void produce(String kafka, int events, String source) {
        int vms = Math.max(1, events / 4);
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, "5", ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"),
                new StringSerializer(), new ByteArraySerializer())) {
            Instant base = Instant.now().minus(Duration.ofDays(1));
            SourceId src = SourceId.of(source);
            for (int i = 0; i < events; i++) {
                int vm = i % vms;
                int round = i / vms;
                VmState proto = KafkaRoundTrip.vm(vm);
                HostKey host = HostKey.of(src, "host-" + ((vm + round * 7) % 250));
                VmState s = new VmState(VmKey.of(src, "vm-" + vm), proto.platform(), proto.name(), proto.cluster(),
                        new HostRef(host, host.hostId()), round % 2 == 0 ? VmStatus.RUNNING : VmStatus.PAUSED,
                        round % 2 == 0 ? "up" : "paused", null, proto.ipAddresses(), proto.memoryBytes(), proto.cpu(),
                        proto.disks(), proto.ha(), proto.placement(), proto.storageErrorResume(), proto.watchdog(),
                        proto.deletion(), proto.metadata(), proto.tags(), proto.nova(),
                        base.plusSeconds(round * 60L));
                p.send(CloudEventsKafka.toRecord(EventEnvelope.create(URI.create("/lifeboat/bench"), s)));
            }
            p.flush();
        }
    }

    private static KafkaConsumer<String, byte[]> consumer(String kafka) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
                ConsumerConfig.GROUP_ID_CONFIG, "bench-" + System.nanoTime(),
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static double metric(String mapping, String name) throws Exception {
        return metric(mapping, name, "");
    }

    private static double metric(String mapping, String name, String label) throws Exception {
        String body = HTTP.send(HttpRequest.newBuilder(URI.create(mapping + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        double sum = 0;
        for (String line : body.split("\n")) {
            if (line.startsWith(name + "{") && line.contains(label)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    // ------------------------------------------------------------------ plan query at scale

    /** 20,000 VMs on 1,000 hosts, moving every hour, with 3 disks each changing every 12 hours. */
    private static long generateHistory(Connection db, int intervalsPerVm) throws Exception {
        try (Statement st = db.createStatement()) {
            st.execute("set search_path = mapping");
            st.execute("""
                    insert into vm_interval (vm_key, source_id, vm_name, host_key, host_name, cluster_id, cluster_name,
                        status, platform_status, deletion_state, ip_addresses, vcpus, cpu_topology, memory_bytes,
                        valid_from, valid_to, last_seen_at, event_id)
                    select 'bench-history/vm-' || v, 'bench-history', 'vm-' || v,
                           'bench-history/h' || ((v + k * 7) %% 1000), 'h' || ((v + k * 7) %% 1000), 'c1', 'c1',
                           'RUNNING', 'up', 'NONE', '10.0.0.1', 4, '2x2x1', 8589934592,
                           timestamptz '2024-01-01' + k * interval '1 hour',
                           case when k = %d then null else timestamptz '2024-01-01' + (k + 1) * interval '1 hour' end,
                           timestamptz '2024-01-01' + k * interval '1 hour', 'bench'
                      from generate_series(1, 20000) v, generate_series(0, %d) k""".formatted(intervalsPerVm - 1,
                    intervalsPerVm - 1));
            int diskIntervals = Math.max(1, intervalsPerVm / 12);
            st.execute("""
                    insert into vm_disk_interval (vm_key, source_id, disk_id, disk_name, size_bytes, iface,
                        storage_type, bootable, lun_id, lun_wwid, valid_from, valid_to, last_seen_at, event_id)
                    select 'bench-history/vm-' || v, 'bench-history', 'disk-' || v || '-' || d, 'data' || d,
                           107374182400, 'virtio_scsi', 'LUN', d = 1,
                           '3600507680c8081b2e8' || lpad(to_hex(v * 100 + d * 10 + (j %% 3)), 14, '0'),
                           '3600507680c8081b2e8' || lpad(to_hex(v * 100 + d * 10 + (j %% 3)), 14, '0'),
                           timestamptz '2024-01-01' + j * interval '12 hours',
                           case when j = %d then null else timestamptz '2024-01-01' + (j + 1) * interval '12 hours' end,
                           timestamptz '2024-01-01' + j * interval '12 hours', 'bench'
                      from generate_series(1, 20000) v, generate_series(1, 3) d, generate_series(0, %d) j"""
                    .formatted(diskIntervals - 1, diskIntervals - 1));
            st.execute("analyze vm_interval");
            st.execute("analyze vm_disk_interval");
            try (ResultSet rs = st.executeQuery("select (select count(*) from vm_interval) + (select count(*) from"
                    + " vm_disk_interval)")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static double[] planLatencies(String mapping, String auth, int requests) throws Exception {
        Random rnd = new Random(1);
        List<Double> ms = new ArrayList<>();
        long entries = 0;
        for (int i = 0; i < requests + 10; i++) {
            String host = "h" + rnd.nextInt(1000);
            Instant t = Instant.parse("2024-01-01T00:00:00Z").plus(Duration.ofMinutes(30 + rnd.nextInt(60 * 300)));
            long t0 = System.nanoTime();
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(mapping
                            + "/api/v1/hosts/bench-history/" + host + "/unmap-plan?asOf=" + t))
                    .header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofString());
            double elapsed = (System.nanoTime() - t0) / 1e6;
            if (r.statusCode() != 200) {
                throw new IllegalStateException("plan of " + host + " answered " + r.statusCode() + ": " + r.body());
            }
            if (i >= 10) {   // the first ten warm up the JVM and the caches
                ms.add(elapsed);
                entries += r.body().split("\"lunId\"").length - 1;
            }
        }
        Collections.sort(ms);
        return new double[] {ms.get(ms.size() / 2), ms.get((int) Math.ceil(ms.size() * 0.99) - 1),
                (double) entries / requests};
    }

    private static void cleanup(Connection db) throws Exception {
        try (Statement st = db.createStatement()) {
            st.execute("set search_path = mapping");
            for (String table : List.of("vm_interval", "vm_disk_interval")) {
                st.execute("delete from " + table + " where source_id in ('bench-history', 'bench-ingest',"
                        + " 'bench-drain')");
            }
            st.execute("delete from vm_name where vm_key like 'bench-history/%' or vm_key like 'bench-ingest/%'"
                    + " or vm_key like 'bench-drain/%'");
            // The 10M generated rows leave the indexes mostly empty pages after their delete, which every later
            // insert (and the next run's figures) would pay for: rebuilt at the size of what is left.
            st.execute("reindex table vm_interval");
            st.execute("reindex table vm_disk_interval");
            st.execute("vacuum analyze vm_interval");
            st.execute("vacuum analyze vm_disk_interval");
        }
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes());
    }
}
