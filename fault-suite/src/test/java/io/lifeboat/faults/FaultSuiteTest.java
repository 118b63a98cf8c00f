package io.lifeboat.faults;

import io.lifeboat.common.change.HostStatusChanged;
import io.lifeboat.common.change.SignalSource;
import io.lifeboat.common.deadletter.DeadLetters;
import io.lifeboat.common.envelope.CloudEventsKafka;
import io.lifeboat.common.envelope.EventEnvelope;
import io.lifeboat.common.failure.HostFailureChanged;
import io.lifeboat.common.failure.HostFailurePhase;
import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.id.SourceId;
import io.lifeboat.common.id.SourceKind;
import io.lifeboat.common.id.StorageDomainKey;
import io.lifeboat.common.id.VmKey;
import io.lifeboat.common.inventory.ClusterRef;
import io.lifeboat.common.inventory.CpuTopology;
import io.lifeboat.common.inventory.Deletion;
import io.lifeboat.common.inventory.DiskStorageType;
import io.lifeboat.common.inventory.HighAvailability;
import io.lifeboat.common.inventory.HostRef;
import io.lifeboat.common.inventory.HostState;
import io.lifeboat.common.inventory.HostStatus;
import io.lifeboat.common.inventory.LunInfo;
import io.lifeboat.common.inventory.StorageDomainState;
import io.lifeboat.common.inventory.VmDisk;
import io.lifeboat.common.inventory.VmState;
import io.lifeboat.common.inventory.VmStatus;
import io.lifeboat.common.libvirt.IngestPath;
import io.lifeboat.common.libvirt.LibvirtEventKind;
import io.lifeboat.common.libvirt.LibvirtRawEvent;
import io.lifeboat.common.lun.LunWwid;
import io.lifeboat.common.topic.Topic;
import io.lifeboat.testsupport.AppProcess;
import io.lifeboat.testsupport.KafkaTestClient;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Infrastructure trouble is not bad input (DESIGN.md). Every part real and in its own process: the broker is killed,
 * the database stopped for half a minute under a backlog, the services stopped by SIGTERM with ten thousand records
 * waiting, and poison records mixed into every consumed topic. Each scenario counts what is in the dead-letter
 * topics and what is in the services' tables before and after; expectations come from what the test published or
 * from the simulator's ground truth.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultSuiteTest {

    private static final Logger LOG = Logger.getLogger("io.lifeboat.faults");
    private static final URI SOURCE = URI.create("/lifeboat/fault-suite");
    private static final List<String> CONSUMERS = List.of("mapping-service", "evacuation-service", "watchdog-service");

    private static FaultStack stack;
    private static KafkaTestClient kafka;

    @BeforeAll
    static void start() throws Exception {
        stack = new FaultStack();
        stack.startSimulator();
        List<CompletableFuture<AppProcess>> starting = new ArrayList<>();
        for (String s : List.of("collector-service", "mapping-service", "evacuation-service", "watchdog-service")) {
            starting.add(CompletableFuture.supplyAsync(() -> stack.start(s, Map.of())));
        }
        starting.forEach(CompletableFuture::join);
        kafka = new KafkaTestClient(stack.bootstrap());
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    // ------------------------------------------------------------------ (d) poison among good records

    /** What a consuming service must dead-letter, and what it must apply: every consumed topic, every service. */
    @Test
    @Order(1)
    void poisonRecordsAreDeadLetteredWithTheirReasonAndEveryGoodRecordIsApplied() throws Exception {
        SourceId src = SourceId.of("fault-poison");
        Instant t = Instant.now().minusSeconds(600);
        HostKey h1 = HostKey.of(src, "h1");
        HostKey h2 = HostKey.of(src, "h2");
        Map<String, List<String>> poisonKeys = new TreeMap<>();   // topic -> keys of its poison records
        Map<String, String> reasonOf = new HashMap<>();          // key -> expected reason code

        for (Topic topic : List.of(Topic.INVENTORY_HOSTS, Topic.INVENTORY_VMS, Topic.INVENTORY_STORAGE_DOMAINS,
                Topic.INFRA_EVENTS, Topic.HOST_FAILURES, Topic.LIBVIRT_RAW)) {
            // Poison first, in the middle and last, around the good records.
            poison(topic, "no-headers", "decode", poisonKeys, reasonOf, (key) ->
                    new ProducerRecord<>(topic.topicName(), null, key, "{}".getBytes(StandardCharsets.UTF_8),
                            new RecordHeaders()));
            good(topic, src, h1, t, 1);
            poison(topic, "not-json", "decode", poisonKeys, reasonOf, (key) -> {
                ProducerRecord<String, byte[]> r = CloudEventsKafka.toRecord(goodEvent(topic, src, h2, t, 99));
                return new ProducerRecord<>(topic.topicName(), null, key, "{\"truncated".getBytes(
                        StandardCharsets.UTF_8), r.headers());
            });
            good(topic, src, h2, t, 2);
            // A valid event whose key is not the catalogue's: its order with the item's other events is lost.
            poison(topic, "wrong-key", "contract", poisonKeys, reasonOf, (key) -> {
                ProducerRecord<String, byte[]> r = CloudEventsKafka.toRecord(goodEvent(topic, src, h2, t, 98));
                return new ProducerRecord<>(topic.topicName(), null, key, r.value(), r.headers());
            });
            if (topic.compacted()) {
                poison(topic, "tombstone-bad-key", "contract", poisonKeys, reasonOf, (key) ->
                        new ProducerRecord<>(topic.topicName(), null, "no-slash-" + key.hashCode(), null,
                                new RecordHeaders()));
            } else {
                poison(topic, "tombstone", "contract", poisonKeys, reasonOf, (key) ->
                        new ProducerRecord<>(topic.topicName(), null, key, null, new RecordHeaders()));
            }
        }
        // A VM the database cannot store (a NUL in its name): decoded fine, refused when applied; found alone and
        // dead-lettered by each of the three services, while the records around it are applied.
        VmState nul = vm(VmKey.of(src, "vm-nul"), "h1", "bad\u0000name", VmStatus.RUNNING, List.of(lun(src, 900)), t);
        kafka.publish(EventEnvelope.create(SOURCE, nul));
        poisonKeys.computeIfAbsent(Topic.INVENTORY_VMS.topicName(), k -> new ArrayList<>()).add(nul.vm().toString());
        reasonOf.put(nul.vm().toString(), "data");
        good(Topic.INVENTORY_VMS, src, h1, t, 3);

        // Every good record applied, in every service that consumes it.
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            assertThat(stack.count("select count(*) from mapping.host_interval where source_id = 'fault-poison'"))
                    .isEqualTo(2);
            assertThat(stack.count("select count(*) from mapping.vm_interval where source_id = 'fault-poison'"))
                    .isEqualTo(3);
            assertThat(stack.count("select count(*) from mapping.storage_domain_lun_interval where"
                    + " source_id = 'fault-poison'")).isEqualTo(2);
            assertThat(stack.count("select count(*) from mapping.unmap_plan where host_key like 'fault-poison/%'"))
                    .as("one plan per good host-status change and per good confirmed failure").isEqualTo(4);
            assertThat(stack.count("select count(*) from evacuation.host_view where source_id = 'fault-poison'"))
                    .isEqualTo(2);
            assertThat(stack.count("select count(*) from evacuation.vm_view where source_id = 'fault-poison'"))
                    .isEqualTo(3);
            assertThat(stack.count("select count(*) from watchdog.vm_ref where source_id = 'fault-poison'"))
                    .isEqualTo(3);
            assertThat(stack.count("select count(*) from watchdog.raw_event where hypervisor = 'fault-poison-hv'"))
                    .isEqualTo(2);
        });

        // Every poison record in its topic's DLQ, once per service that consumes the topic, with its reason.
        Map<String, List<String>> consumersOf = Map.of(
                Topic.INVENTORY_HOSTS.topicName(), List.of("mapping-service", "evacuation-service"),
                Topic.INVENTORY_VMS.topicName(), CONSUMERS,
                Topic.INVENTORY_STORAGE_DOMAINS.topicName(), List.of("mapping-service"),
                Topic.INFRA_EVENTS.topicName(), List.of("mapping-service", "evacuation-service"),
                Topic.HOST_FAILURES.topicName(), List.of("mapping-service"),
                Topic.LIBVIRT_RAW.topicName(), List.of("watchdog-service"));
        try (KafkaConsumer<String, byte[]> c = reader()) {
            for (Map.Entry<String, List<String>> e : poisonKeys.entrySet()) {
                String topic = e.getKey();
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    List<DeadLetters.DeadLetter> letters = DeadLetters.read(c, topic + ".dlq", null,
                            Duration.ofSeconds(30)).stream().filter(d -> e.getValue().contains(d.key())
                            || (d.key() != null && d.key().startsWith("no-slash-"))).toList();
                    Set<String> expected = new TreeSet<>();
                    for (String key : e.getValue()) {
                        for (String service : consumersOf.get(topic)) {
                            expected.add(service + " " + reasonOf.get(key) + " " + (key.startsWith("tombstone-bad-key")
                                    ? "no-slash-" + key.hashCode() : key));
                        }
                    }
                    Set<String> actual = letters.stream().map(d -> d.service() + " " + d.reasonCode() + " " + d.key())
                            .collect(Collectors.toCollection(TreeSet::new));
                    assertThat(actual).as("dead letters of %s", topic).isEqualTo(expected);
                    assertThat(letters).allSatisfy(d -> {
                        assertThat(d.originalTopic()).isEqualTo(topic);
                        assertThat(d.reason()).isNotBlank();
                        assertThat(d.originalOffset()).isNotNull();
                    });
                });
            }
        }
        // The dead-letter API of a service shows its own letters and reasons.
        JsonPath letters = given().auth().preemptive().basic("viewer", "viewer")
                .get(stack.service("watchdog-service").url() + "/api/v1/dead-letters").then().statusCode(200)
                .extract().jsonPath();
        assertThat(letters.getInt("find { it.topic == 'lifeboat.libvirt.raw.v1' }.letters")).isGreaterThanOrEqualTo(4);
        assertThat(letters.getList("find { it.topic == 'lifeboat.libvirt.raw.v1' }.newest.service", String.class))
                .containsOnly("watchdog-service");
    }

    /** A poison record of one kind, with a key of its own. */
    private static void poison(Topic topic, String kind, String reason, Map<String, List<String>> keys,
                               Map<String, String> reasons,
                               java.util.function.Function<String, ProducerRecord<String, byte[]>> record) {
        String key = kind + "-" + topic.name().toLowerCase() + "-" + UUID.randomUUID().toString().substring(0, 8);
        ProducerRecord<String, byte[]> r = record.apply(key);
        kafka.send(r);
        keys.computeIfAbsent(topic.topicName(), k -> new ArrayList<>()).add(key);
        reasons.put(key, reason);
    }

    private static void good(Topic topic, SourceId src, HostKey host, Instant t, int n) {
        kafka.publish(goodEvent(topic, src, host, t, n));
    }

    private static EventEnvelope<?> goodEvent(Topic topic, SourceId src, HostKey host, Instant t, int n) {
        Instant at = t.plusSeconds(n);
        return switch (topic) {
            case INVENTORY_HOSTS -> EventEnvelope.create(SOURCE, host(host, HostStatus.UP, at));
            case INVENTORY_VMS -> EventEnvelope.create(SOURCE, vm(VmKey.of(src, "vm-" + n), host.hostId(), "vm-" + n,
                    VmStatus.RUNNING, List.of(lun(src, n)), at));
            case INVENTORY_STORAGE_DOMAINS -> EventEnvelope.create(SOURCE, new StorageDomainState(
                    StorageDomainKey.of(src, "sd-" + n), "sd-" + n, "data", "fcp", "dc1",
                    List.of(LunWwid.parse(lunWwid(src, 500 + n))), at));
            case INFRA_EVENTS -> EventEnvelope.create(SOURCE, new HostStatusChanged(host, host.hostId(),
                    HostStatus.UP, HostStatus.DOWN, "up", "down", null, SignalSource.ENGINE_EVENT, at));
            case HOST_FAILURES -> EventEnvelope.create(SOURCE, new HostFailureChanged(UUID.randomUUID(), host,
                    host.hostId(), HostFailurePhase.CONFIRMED, HostFailurePhase.SUSPECTED, at, at, "system", null, null));
            case LIBVIRT_RAW -> EventEnvelope.create(SOURCE, new LibvirtRawEvent("fault-poison-hv", null, null,
                    "instance-f00" + n, LibvirtEventKind.WATCHDOG, null, null, "pause", null, at, IngestPath.AGENT,
                    null));
            default -> throw new IllegalArgumentException(topic.name());
        };
    }

    // ------------------------------------------------------------------ (b) the database stopped under a backlog

    @Test
    @Order(2)
    void aDatabaseOutageUnderABacklogLosesNothingAndReadinessSaysSoAtOnce() throws Exception {
        SourceId src = SourceId.of("fault-pg");
        long dlqBefore = stack.deadLetters();
        Instant t = Instant.now().minusSeconds(3600);
        for (int h = 0; h < 10; h++) {
            kafka.publish(EventEnvelope.create(SOURCE, host(HostKey.of(src, "pg-h" + h), HostStatus.UP, t)));
        }
        await().atMost(Duration.ofSeconds(60)).until(() ->
                stack.count("select count(*) from mapping.host_interval where source_id = 'fault-pg'") == 10);
        List<AppProcess> apps = stack.services.values().stream().toList();

        long stoppedAt = System.nanoTime();
        stack.stopPostgres();
        // Readiness answers at once, and says DOWN within a probe interval.
        for (AppProcess app : apps) {
            await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100))
                    .until(() -> FaultStack.ready(app).status() == 503);
        }
        long downAfter = (System.nanoTime() - stoppedAt) / 1_000_000;

        // The backlog: 600 VM states (60 on pg-h0, each with two LUNs), then pg-h0 fails.
        Map<String, Set<String>> lunsOnFailedHost = new TreeMap<>();
        List<EventEnvelope<?>> backlog = new ArrayList<>();
        for (int v = 0; v < 600; v++) {
            String hostId = "pg-h" + (v % 10);
            List<LunInfo> luns = List.of(lun(src, 2 * v), lun(src, 2 * v + 1));
            VmKey key = VmKey.of(src, "pg-vm-" + v);
            backlog.add(EventEnvelope.create(SOURCE, vm(key, hostId, "pg-vm-" + v, VmStatus.RUNNING, luns, t)));
            if (v % 10 == 0) {
                lunsOnFailedHost.put(key.toString(), luns.stream().map(l -> l.wwid().toString())
                        .collect(Collectors.toCollection(TreeSet::new)));
            }
        }
        backlog.forEach(kafka::publish);
        kafka.publish(EventEnvelope.create(SOURCE, host(HostKey.of(src, "pg-h0"), HostStatus.DOWN, t.plusSeconds(60))));

        // Down for 30 s; readiness stays 503, naming the database, and answers within a second the whole time.
        List<Long> answerMillis = new ArrayList<>();
        await().during(Duration.ofSeconds(30)).atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofSeconds(1))
                .until(() -> apps.stream().allMatch(app -> {
                    FaultStack.Ready r = FaultStack.ready(app);
                    answerMillis.add(r.millis());
                    return r.status() == 503 && r.body().contains("database") && r.millis() < 1000;
                }));
        stack.startPostgres();
        long restartedAt = System.nanoTime();
        for (AppProcess app : apps) {
            await().atMost(Duration.ofSeconds(60)).until(() -> FaultStack.ready(app).status() == 200);
        }
        long upAfter = (System.nanoTime() - restartedAt) / 1_000_000;

        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
            assertThat(stack.count("select count(*) from mapping.vm_interval where source_id = 'fault-pg'"
                    + " and valid_to is null")).isEqualTo(600);
            assertThat(stack.count("select count(*) from evacuation.vm_view where source_id = 'fault-pg'"))
                    .isEqualTo(600);
            assertThat(stack.count("select count(*) from watchdog.vm_ref where source_id = 'fault-pg'"))
                    .isEqualTo(600);
        });
        // The failed host's unmap plan, as of its failure, lists every LUN of the 60 VMs that were on it.
        JsonPath plan = given().auth().preemptive().basic("viewer", "viewer")
                .get(stack.service("mapping-service").url() + "/api/v1/hosts/fault-pg/pg-h0/unmap-plan").then()
                .statusCode(200).extract().jsonPath();
        Map<String, Set<String>> planned = new TreeMap<>();
        List<Map<String, Object>> entries = plan.getList("entries");
        for (Map<String, Object> e : entries) {
            planned.computeIfAbsent((String) e.get("vm"), k -> new TreeSet<>()).add((String) e.get("wwid"));
        }
        assertThat(entries).hasSize(120);
        assertThat(planned).isEqualTo(lunsOnFailedHost);
        assertThat(stack.deadLetters() - dlqBefore).as("records dead-lettered by the outage").isZero();
        LOG.infof("database outage: readiness DOWN after %d ms, answers in %d ms at most, UP %d ms after the restart;"
                        + " 600 of 600 VMs in every service, the plan lists 120 of 120 LUNs, 0 dead letters", downAfter,
                answerMillis.stream().mapToLong(Long::longValue).max().orElse(0), upAfter);
        assertThat(downAfter).as("readiness DOWN within a probe interval of the outage").isLessThan(3000);
        assertThat(answerMillis).allSatisfy(ms -> assertThat(ms).isLessThan(1000));
    }

    // ------------------------------------------------------------------ (a) the broker killed and restarted

    @Test
    @Order(3)
    void theBrokerKilledWhileTheCollectorPublishesLosesNoState() throws Exception {
        AppProcess collector = stack.service("collector-service");
        AppProcess mapping = stack.service("mapping-service");
        String sim = stack.simulator.url();
        // Before: the mapping-service holds the simulator's oVirt estate exactly.
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                assertThat(history("ovirt-1")).isEqualTo(truth(sim, "ovirt-1")));
        long dlqBefore = stack.deadLetters();

        stack.killKafka();
        for (AppProcess app : List.of(collector, mapping)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> FaultStack.ready(app).status() == 503);
        }
        // While the broker is away, a host loses power and is fenced: its HA VMs restart elsewhere, the rest go down.
        String hostId = given().get(sim + "/sim/v1/sources/ovirt-1/truth").then().extract().jsonPath()
                .getString("hosts.find { it.name == 'hv1-1-02' }.id");
        given().contentType(ContentType.JSON).body(Map.of("mode", "POWER_LOSS"))
                .post(sim + "/sim/v1/sources/ovirt-1/hosts/hv1-1-02/fail").then().statusCode(200);
        String token = given().contentType(ContentType.URLENC).formParam("grant_type", "password")
                .formParam("scope", "ovirt-app-api").formParam("username", "admin@internal")
                .formParam("password", "lifeboat").post(sim + "/ovirt-engine/sso/oauth/token").then()
                .statusCode(200).extract().path("access_token");
        given().header("Authorization", "Bearer " + token).contentType("application/xml")
                .body("<action><fence_type>manual</fence_type></action>")
                .post(sim + "/ovirt/ovirt-1/ovirt-engine/api/hosts/" + hostId + "/fence").then().statusCode(200);
        // The collector's cycle runs into the dead broker: its publish fails within the producer's delivery timeout
        // (never a hang), the source is DOWN, and nothing is stored as published.
        given().auth().preemptive().basic("operator", "operator")
                .post(collector.url() + "/api/v1/sources/ovirt-1/refresh").then().statusCode(202);
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            JsonPath status = given().auth().preemptive().basic("viewer", "viewer")
                    .get(collector.url() + "/api/v1/sources/ovirt-1").then().statusCode(200).extract().jsonPath();
            assertThat(status.getString("lastCycle.outcome")).isEqualTo("FAILED");
            assertThat(status.getString("health")).isEqualTo("DOWN");
        });

        stack.startKafka();
        for (AppProcess app : List.of(collector, mapping)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> FaultStack.ready(app).status() == 200);
        }
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
            given().auth().preemptive().basic("operator", "operator")
                    .post(collector.url() + "/api/v1/sources/ovirt-1/refresh?wait=true").then().statusCode(200);
            assertThat(history("ovirt-1")).isEqualTo(truth(sim, "ovirt-1"));
        });
        assertThat(stack.deadLetters() - dlqBefore).as("records dead-lettered by the broker outage").isZero();
    }

    /** Each oVirt VM of the simulator: host and engine status, as the ground truth says. */
    private static Map<String, String> truth(String sim, String source) {
        Map<String, String> out = new TreeMap<>();
        List<Map<String, Object>> vms = given().get(sim + "/sim/v1/sources/" + source + "/truth").then()
                .statusCode(200).extract().jsonPath().getList("vms");
        for (Map<String, Object> v : vms) {
            out.put(source + "/" + v.get("id"), v.get("engineHostId") + " " + v.get("engineStatus"));
        }
        return out;
    }

    /** Each VM of a source with an open interval in the mapping-service's history: host and platform status. */
    private static Map<String, String> history(String source) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (var c = stack.postgres.connect(); var ps = c.prepareStatement("select vm_key, host_key, platform_status"
                + " from mapping.vm_interval where source_id = ? and valid_to is null")) {
            ps.setString(1, source);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    String host = rs.getString(2);
                    out.put(rs.getString(1), (host == null ? "null" : host.substring(host.indexOf('/') + 1)) + " "
                            + rs.getString(3));
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ (e) an unpublishable outbox row

    @Test
    @Order(4)
    void anOutboxRowThatCannotBePublishedDoesNotDelayTheRowsAfterIt() throws Exception {
        AppProcess watchdog = stack.service("watchdog-service");
        // Two rows that can never be published: an unknown type, and an event larger than the broker takes.
        stack.execute("insert into watchdog.outbox_event (event_id, type, source, event_time, payload) values"
                + " ('" + UUID.randomUUID() + "', 'lifeboat.no-such-type.v1', '/lifeboat/watchdog', now(), '{}')");
        String huge = "x".repeat(2 * 1024 * 1024);
        stack.execute("insert into watchdog.outbox_event (event_id, type, source, event_time, payload) values ('"
                + UUID.randomUUID() + "', 'lifeboat.guest-incident.v1', '/lifeboat/watchdog', now(), '{\"incidentId\":"
                + "\"" + UUID.randomUUID() + "\",\"kind\":\"GUEST_PANIC\",\"hypervisor\":\"hv\",\"domainName\":\"d\","
                + "\"firstSeenAt\":\"2026-01-01T00:00:00Z\",\"lastSeenAt\":\"2026-01-01T00:00:00Z\",\"eventCount\":1,"
                + "\"rawEventIds\":[],\"detail\":\"" + huge + "\"}')");
        String hv = "fault-outbox-hv";
        String lines = "2026-01-02 03:04:05.000+0000: event 'watchdog' for domain 'instance-0b0x01': pause\n"
                + "2026-01-02 03:04:06.000+0000: event 'watchdog' for domain 'instance-0b0x02': reset\n";
        long t0 = System.nanoTime();
        given().auth().preemptive().basic("agent", "agent").contentType(ContentType.TEXT).body(lines)
                .post(watchdog.url() + "/api/v1/events/virsh?hypervisor=" + hv).then().statusCode(202);
        List<ConsumerRecord<String, byte[]>> incidents = kafka.read(Topic.GUEST_INCIDENTS.topicName(), 2,
                Duration.ofSeconds(30), r -> new String(r.value(), StandardCharsets.UTF_8).contains(hv));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(incidents).hasSize(2);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(stack.count("select count(*) from watchdog.outbox_event where parked_at is not null and"
                    + " park_reason like '%unknown event type%'")).isEqualTo(1);
            assertThat(stack.count("select count(*) from watchdog.outbox_event where parked_at is not null and"
                    + " park_reason like '%RecordTooLarge%'")).isEqualTo(1);
        });
        assertThat(FaultStack.metric(watchdog, "lifeboat_outbox_parked_total")).isEqualTo(2);
        assertThat(FaultStack.ready(watchdog).status()).as("parked rows do not hold readiness down").isEqualTo(200);
        LOG.infof("outbox: 2 rows set aside, the 2 incidents after them on Kafka %d ms after the events were posted",
                ms);
    }

    // ------------------------------------------------------------------ (c) SIGTERM under a backlog

    @Test
    @Order(5)
    void sigtermUnderABacklogDeadLettersNothingAndLosesNothing() throws Exception {
        SourceId src = SourceId.of("fault-term");
        long dlqBefore = stack.deadLetters();
        for (String s : CONSUMERS) {
            assertThat(stack.service(s).terminate(Duration.ofSeconds(30))).as("%s stops cleanly", s).isNotNegative();
        }
        // The backlog: 4,000 VMs seen on host a, then on host b; then 2,000 of them removed (tombstones).
        Instant t = Instant.now().minusSeconds(7200);
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            for (int v = 0; v < 4000; v++) {
                records.add(CloudEventsKafka.toRecord(EventEnvelope.create(SOURCE, vm(VmKey.of(src, "t-" + v),
                        round == 0 ? "a" : "b", "t-" + v, VmStatus.RUNNING, List.of(lun(src, 10_000 + v)),
                        t.plusSeconds(round * 60L)))));
            }
        }
        for (int v = 0; v < 2000; v++) {
            records.add(new ProducerRecord<String, byte[]>(Topic.INVENTORY_VMS.topicName(), null,
                    t.plusSeconds(120).toEpochMilli(), VmKey.of(src, "t-" + v).toString(), (byte[]) null));
        }
        sendAll(records);

        // Started with small batches, and stopped (SIGTERM) as soon as each has applied something.
        Map<String, Double> appliedAtStop = new TreeMap<>();
        List<CompletableFuture<Void>> runs = new ArrayList<>();
        for (String s : CONSUMERS) {
            runs.add(CompletableFuture.runAsync(() -> {
                AppProcess app = stack.start(s, Map.of("lifeboat.pipeline.max-poll-records", "200"));
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() ->
                        FaultStack.metric(app, "lifeboat_pipeline_records_total", "channel=\"inventory-vms\"") > 0);
                try {
                    appliedAtStop.put(s, FaultStack.metric(app, "lifeboat_pipeline_records_total",
                            "channel=\"inventory-vms\""));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                app.terminate(Duration.ofSeconds(30));
            }));
        }
        runs.forEach(CompletableFuture::join);
        long dlqAfterStop = stack.deadLetters();
        LOG.infof("SIGTERM after %s records of the backlog (and any earlier ones)", appliedAtStop);

        // Started again: everything applied, nothing dead-lettered, no removed VM left alive.
        for (String s : CONSUMERS) {
            stack.start(s, Map.of());
        }
        await().atMost(Duration.ofSeconds(180)).untilAsserted(() -> {
            assertThat(stack.count("select count(*) from mapping.vm_interval where source_id = 'fault-term'"))
                    .as("mapping: two stays per VM").isEqualTo(8000);
            assertThat(stack.count("select count(*) from mapping.vm_interval where source_id = 'fault-term' and"
                    + " valid_to is null")).as("mapping: VMs still there").isEqualTo(2000);
            assertThat(stack.count("select count(*) from mapping.vm_interval where source_id = 'fault-term' and"
                    + " valid_to is null and host_key <> 'fault-term/b'")).isZero();
            assertThat(stack.count("select count(*) from evacuation.vm_view where source_id = 'fault-term' and"
                    + " removed")).as("evacuation: removed VMs").isEqualTo(2000);
            assertThat(stack.count("select count(*) from evacuation.vm_view where source_id = 'fault-term' and"
                    + " not removed and host_key = 'fault-term/b'")).isEqualTo(2000);
            assertThat(stack.count("select count(*) from watchdog.vm_ref where source_id = 'fault-term' and"
                    + " removed")).as("watchdog: removed VMs").isEqualTo(2000);
            assertThat(stack.count("select count(*) from watchdog.vm_ref where source_id = 'fault-term' and"
                    + " not removed")).isEqualTo(2000);
        });
        assertThat(dlqAfterStop - dlqBefore).as("dead letters written by the shutdown").isZero();
        assertThat(stack.deadLetters() - dlqBefore).as("dead letters after the restart").isZero();
        for (String s : CONSUMERS) {
            String log = java.nio.file.Files.readString(stack.service(s).log());
            assertThat(log).as("%s log", s).doesNotContain("EntityManagerFactory is closed");
        }
    }

    // ------------------------------------------------------------------ helpers

    private static void sendAll(List<ProducerRecord<String, byte[]>> records) {
        try (var p = new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(Map.of(
                "bootstrap.servers", stack.bootstrap(), "acks", "all", "linger.ms", "10"),
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            records.forEach(p::send);
            p.flush();
        }
    }

    private static KafkaConsumer<String, byte[]> reader() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrap(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    private static HostState host(HostKey key, HostStatus status, Instant at) {
        return new HostState(key, SourceKind.OVIRT, key.hostId(), new ClusterRef("c1", "prod"), status,
                status.name().toLowerCase(), null, null, null, true, null, at);
    }

    static String lunWwid(SourceId src, int n) {
        return String.format("36005076%04x%021x", Math.abs(src.value().hashCode()) % 0x10000, n);
    }

    private static LunInfo lun(SourceId src, int n) {
        return LunInfo.of(lunWwid(src, n), "IBM", "2145", "S" + n, 1L << 30);
    }

    private static VmState vm(VmKey key, String host, String name, VmStatus status, List<LunInfo> luns, Instant at) {
        List<VmDisk> disks = new ArrayList<>();
        for (int i = 0; i < luns.size(); i++) {
            disks.add(new VmDisk("d" + i + "-" + key.vmId(), "data" + i, 1L << 30, "virtio_scsi", DiskStorageType.LUN,
                    null, i == 0, luns.get(i)));
        }
        return new VmState(key, SourceKind.OVIRT, name, new ClusterRef("c1", "prod"),
                new HostRef(HostKey.of(key.source(), host), host), status, status == VmStatus.RUNNING ? "up" : "down",
                null, List.of("10.9.9.9"), 4L << 30, new CpuTopology(2, 1, 1), disks, HighAvailability.NONE, null,
                null, null, Deletion.NONE, Map.of(), List.of(), null, at);
    }
}
