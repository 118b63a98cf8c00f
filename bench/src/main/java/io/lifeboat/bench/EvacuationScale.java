package io.lifeboat.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.lifeboat.common.envelope.CloudEventsKafka;
import io.lifeboat.common.envelope.EventEnvelope;
import io.lifeboat.common.change.CollectionCycleFinished;
import io.lifeboat.common.change.CycleOutcome;
import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.id.SourceId;
import io.lifeboat.common.id.SourceKind;
import io.lifeboat.common.inventory.ClusterRef;
import io.lifeboat.common.inventory.ComputeService;
import io.lifeboat.common.inventory.HostState;
import io.lifeboat.common.inventory.HostStatus;
import io.lifeboat.common.json.Json;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A host with 200 instances is evacuated with Nova answering every call after 200 ms, at concurrency 4, 8 and 16.
 * Measured from the operator's approval (the moment the failure is confirmed and fenced) to the last evacuate call and
 * to the last instance ACTIVE, beside two lower bounds: the calls' (instances × latency / concurrency), and the one
 * from the approval, which adds the force-down Nova needs first and counts whole rounds of calls.
 *
 * <p>Runs on the local stack's Kafka, PostgreSQL and simulator, with its own evacuation-service process per
 * concurrency (its own schema and consumer group), on a second simulated region ({@code openstack-2}) that the
 * stack's own services do not manage. It publishes that region's host states itself, as the collector would.
 * Restores the demo topology at the end.
 */
final class EvacuationScale {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final String SOURCE = "openstack-2";
    private static final String HOST = "cmp2-a01";

    private EvacuationScale() {
    }

    static void run(String simulator, String kafka, String jdbcUrl, int instances, int latencyMs,
                    List<Integer> concurrencies) throws Exception {
        Path jar = projectRoot().resolve("evacuation-service/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it (./lifeboat up --build)");
        }
        BenchReport report = new BenchReport("evacuation-scale")
                .parameter("instances", instances)
                .parameter("novaLatencyMs", latencyMs)
                .parameter("rebuildSeconds", 1)
                .parameter("pollInterval", "1s");
        try {
            for (int c : concurrencies) {
                double[] r = once(simulator, kafka, jdbcUrl, jar, instances, latencyMs, c);
                double bound = instances * latencyMs / 1000.0 / c;
                report.figure("c" + c + "LowerBoundSec", "concurrency " + c + ": lower bound for the calls ("
                        + instances + " x " + latencyMs + " ms / " + c + ")", bound, "s");
                // From the approval nothing can be faster than Nova's force-down (evacuate is refused while the
                // host's compute service is up, and its heartbeat is seconds old here), then ceil(instances / c)
                // rounds of calls: 13 at 16, as 200 calls do not split into 12.5 rounds.
                double floor = latencyMs / 1000.0 * (1 + Math.ceil(instances / (double) c));
                report.figure("c" + c + "FloorSec", "concurrency " + c + ": lower bound from the approval (force-down,"
                        + " then " + (int) Math.ceil(instances / (double) c) + " rounds of calls)", floor, "s");
                report.figure("c" + c + "LastCallOverFloor", "concurrency " + c + ": last evacuate call / that bound",
                        r[0] / floor, "x");
                report.figure("c" + c + "FirstEvacuateCallSec", "concurrency " + c
                        + ": confirmed → first evacuate call", r[3], "s");
                report.figure("c" + c + "LastEvacuateCallSec", "concurrency " + c + ": confirmed → last evacuate call",
                        r[0], "s");
                report.figure("c" + c + "CallPhaseSec", "concurrency " + c + ": first → last evacuate call",
                        r[0] - r[3], "s");
                report.figure("c" + c + "LastActiveSec", "concurrency " + c + ": confirmed → last instance ACTIVE",
                        r[1], "s");
                report.figure("c" + c + "Evacuated", "concurrency " + c + ": instances ACTIVE elsewhere", r[2],
                        "instances");
            }
            report.print();
        } finally {
            put(simulator + "/sim/v1/faults/latency", "[]");
            post(simulator + "/sim/v1/topology", """
                    {"seed":42,"ovirtEngines":1,"openstackRegions":1,"clustersPerSource":1,"hostsPerCluster":5,
                     "vmsPerHost":10,"disksPerVm":3,"directLunFraction":0.5,"sharedLunFraction":0.1,
                     "blockDomainsPerEngine":1,"haFraction":0.3,"pinnedFraction":0.1,"watchdogFraction":0.4,
                     "softDeletedFraction":0.1,"downFraction":0.1}""");
        }
    }

    /** One evacuation at one concurrency: [seconds to the last call, seconds to the last ACTIVE, instances moved]. */
    private static double[] once(String simulator, String kafka, String jdbcUrl, Path jar, int instances,
                                 int latencyMs, int concurrency) throws Exception {
        // A fresh region: HOST carries the instances, the second host takes them (the third is a reserved host).
        post(simulator + "/sim/v1/topology", """
                {"seed":11,"ovirtEngines":1,"openstackRegions":2,"clustersPerSource":1,"hostsPerCluster":3,
                 "vmsPerHost":%d,"disksPerVm":1,"directLunFraction":0,"sharedLunFraction":0,
                 "blockDomainsPerEngine":1,"haFraction":0,"pinnedFraction":0,"watchdogFraction":0,
                 "softDeletedFraction":0,"downFraction":0}""".formatted(instances));
        put(simulator + "/sim/v1/sources/" + SOURCE + "/settings", "{\"evacuationDuration\":\"PT1S\"}");
        // Room for every instance on the other hosts: the simulator's scheduler checks capacity as placement does
        // (64 CPUs and 256 GiB a host by default, already half used by the host's own instances).
        for (String h : List.of("cmp2-a02", "cmp2-a03")) {
            put(simulator + "/sim/v1/sources/" + SOURCE + "/hosts/" + h + "/capacity",
                    "{\"vcpus\":" + Math.max(64, instances * 2) + ",\"memoryMb\":" + Math.max(262_144,
                            instances * 2 * 4096 + 512) + "}");
        }
        put(simulator + "/sim/v1/faults/latency", "[{\"api\":\"nova\",\"source\":\"" + SOURCE + "\",\"meanMs\":"
                + latencyMs + ",\"jitterMs\":0}]");
        String schema = "evacuation_bench_" + concurrency + "_" + System.currentTimeMillis() % 100_000;
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx384m", "-XX:+UseSerialGC", "-Dquarkus.http.port=" + port, "-Dquarkus.log.level=WARN",
                // The local stack's profile and database role, as ./lifeboat up starts the services (the production
                // profile refuses to start without a real database password).
                "-Dquarkus.profile=local", "-Dquarkus.datasource.username=lifeboat",
                "-Dquarkus.datasource.password=lifeboat",
                "-Dkafka.bootstrap.servers=" + kafka, "-Dquarkus.datasource.jdbc.url=" + jdbcUrl,
                "-Dquarkus.flyway.schemas=" + schema, "-Dquarkus.flyway.default-schema=" + schema,
                "-Dquarkus.hibernate-orm.database.default-schema=" + schema,
                "-Dquarkus.datasource.jdbc.additional-jdbc-properties.currentSchema=" + schema,
                "-Dlifeboat.pipeline.group-id=" + schema,
                "-Dkafka.auto.offset.reset=latest"));
        String p = "-Dlifeboat.evacuation.sources." + SOURCE + ".";
        cmd.addAll(List.of(p + "kind=openstack", p + "url=" + simulator + "/openstack/" + SOURCE + "/identity/v3",
                p + "username=admin", p + "password=lifeboat", p + "fencer=none", p + "grace-period=1s",
                p + "concurrency=" + concurrency, p + "poll-interval=1s", p + "evacuable=all",
                p + "call-timeout=30s", "-jar", jar.toString()));
        Path log = Files.createTempFile("lifeboat-bench-evacuation-", ".log");
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            String base = "http://localhost:" + port;
            awaitReady(base, proc, log);
            pause(3000);   // the consumers join their group (offsets: latest)
            post(simulator + "/sim/v1/sources/" + SOURCE + "/hosts/" + HOST + "/fail", "{\"mode\":\"POWER_LOSS\"}");
            publishHosts(kafka, serviceIds(simulator));
            // The failure is confirmed after the grace period; with no fencer its run waits for the operator.
            String runId = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (runId == null && System.nanoTime() < deadline) {
                JsonNode runs = get(base + "/api/v1/runs?state=AWAITING_APPROVAL&host=" + SOURCE + "/" + HOST);
                if (runs.size() > 0) {
                    runId = runs.get(0).path("id").asText();
                }
                pause(200);
            }
            if (runId == null) {
                throw new IllegalStateException("no run waiting for approval after 60 s; see " + log);
            }
            Instant confirmed = Instant.now();
            post(base + "/api/v1/runs/" + runId + "/approve", "{\"confirmFenced\":true,\"reason\":\"benchmark\"}",
                    "operator");
            JsonNode run;
            do {
                pause(500);
                run = get(base + "/api/v1/runs/" + runId);
            } while ("RUNNING".equals(run.path("state").asText()));
            Instant lastCall = Instant.parse(run.path("lastCallAt").asText());
            Instant lastActive = confirmed;
            int moved = 0;
            for (JsonNode m : run.path("moves")) {
                if ("SUCCEEDED".equals(m.path("state").asText())) {
                    moved++;
                    Instant f = Instant.parse(m.path("finishedAt").asText());
                    lastActive = f.isAfter(lastActive) ? f : lastActive;
                }
            }
            System.out.printf("  concurrency %d: run %s %s, %d moved%n", concurrency, runId,
                    run.path("state").asText(), moved);
            java.util.Map<String, Integer> outcomes = new java.util.TreeMap<>();
            for (JsonNode m : run.path("moves")) {
                if (!"SUCCEEDED".equals(m.path("state").asText())) {
                    outcomes.merge(m.path("state").asText() + ": " + m.path("reason").asText(""), 1, Integer::sum);
                }
            }
            outcomes.forEach((o, n) -> System.out.printf("    %d moves %s%n", n, o));
            for (JsonNode st : run.path("steps")) {
                System.out.printf("    %-22s #%s %-7s %s → %s  %s%n", st.path("step").asText(),
                        st.path("attempt").asText(), st.path("outcome").asText(), st.path("startedAt").asText(),
                        st.path("endedAt").asText(), st.path("detail").asText(""));
            }
            Instant firstCall = Instant.parse(run.path("firstCallAt").asText());
            List<String> called = new ArrayList<>();
            run.path("moves").forEach(m -> called.add(m.path("startedAt").asText()));
            java.util.Collections.sort(called);
            System.out.printf("    approved at %s; run started %s; first moves marked ONGOING %s%n", confirmed,
                    run.path("startedAt").asText(), called.subList(0, Math.min(called.size(), 3)));
            return new double[] {Duration.between(confirmed, lastCall).toMillis() / 1000.0,
                    Duration.between(confirmed, lastActive).toMillis() / 1000.0, moved,
                    Duration.between(confirmed, firstCall).toMillis() / 1000.0};
        } finally {
            proc.destroy();
            proc.waitFor();
            try (Connection c = DriverManager.getConnection(jdbcUrl, "lifeboat", "lifeboat")) {
                c.createStatement().execute("drop schema if exists " + schema + " cascade");
            }
        }
    }

    /** The region's nova-compute service ids by host, as the collector reads them from Nova. */
    private static Map<String, String> serviceIds(String simulator) throws Exception {
        String url = simulator + "/sim/v1/sources/" + SOURCE + "/truth";
        HttpResponse<String> r = HTTP.send(SimulatorToken.authorize(HttpRequest.newBuilder(URI.create(url)), url)
                .build(), HttpResponse.BodyHandlers.ofString());
        Map<String, String> ids = new java.util.HashMap<>();
        Json.mapper().readTree(r.body()).path("hosts").forEach(h -> ids.put(h.path("host").asText(),
                h.path("serviceId").asText()));
        return ids;
    }

    /** The region's three hosts as the collector would publish them: the failed one down, the others up. */
    private static void publishHosts(String kafka, Map<String, String> serviceIds) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer())) {
            // The collector's last cycle (the source has 3 hosts: a failure is judged only once all of them are
            // known), then the healthy hosts, as the collector published them long before the failure: the
            // partition guard counts the source's hosts.
            Instant cycle = Instant.now();
            producer.send(CloudEventsKafka.toRecord(EventEnvelope.create(URI.create("/lifeboat/bench"),
                    new CollectionCycleFinished(SourceId.of(SOURCE), SourceKind.OPENSTACK, cycle, cycle,
                            CycleOutcome.COMPLETE, 3, 0, 0, 0, null)))).get();
            for (String h : List.of("cmp2-a02", "cmp2-a03", "cmp2-a01")) {
                boolean down = h.equals(HOST);
                if (down) {
                    producer.flush();
                    pause(1500);
                }
                HostState s = new HostState(HostKey.of(SourceId.of(SOURCE), h), SourceKind.OPENSTACK, h,
                        new ClusterRef("az1", "az1"), down ? HostStatus.DOWN : HostStatus.UP,
                        down ? "down/enabled" : "up/enabled", null, null, h + ".region2.example", null,
                        new ComputeService(serviceIds.get(h), "nova-compute", down ? "down" : "up", "enabled", false,
                                null, null, "az1"), Instant.now());
                producer.send(CloudEventsKafka.toRecord(EventEnvelope.create(URI.create("/lifeboat/bench"), s)))
                        .get();
            }
        }
    }

    private static void awaitReady(String base, Process proc, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!proc.isAlive()) {
                throw new IllegalStateException("the evacuation-service exited; see " + log);
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            pause(300);
        }
        throw new IllegalStateException("the evacuation-service was not ready in 90 s; see " + log);
    }

    private static Path projectRoot() throws Exception {
        Path benchJar = Path.of(EvacuationScale.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return benchJar.getParent().getParent().getParent();   // <root>/bench/target/lifeboat-bench.jar
    }

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization",
                auth("viewer")).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        }
        return Json.mapper().readTree(r.body());
    }

    private static void post(String url, String json) throws Exception {
        post(url, json, null);
    }

    private static void post(String url, String json, String user) throws Exception {
        HttpRequest.Builder b = SimulatorToken.authorize(HttpRequest.newBuilder(URI.create(url)), url)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (user != null) {
            b.header("Authorization", auth(user));
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    private static void put(String url, String json) throws Exception {
        HttpResponse<String> r = HTTP.send(SimulatorToken.authorize(HttpRequest.newBuilder(URI.create(url)), url)
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    private static String auth(String user) {
        String password = System.getenv().getOrDefault("LIFEBOAT_" + user.toUpperCase() + "_PASSWORD", user);
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes());
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
