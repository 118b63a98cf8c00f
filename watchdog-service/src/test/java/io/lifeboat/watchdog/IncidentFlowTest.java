package io.lifeboat.watchdog;

import io.lifeboat.common.envelope.CloudEventsKafka;
import io.lifeboat.common.envelope.EventEnvelope;
import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.id.SourceId;
import io.lifeboat.common.id.SourceKind;
import io.lifeboat.common.id.VmKey;
import io.lifeboat.common.incident.GuestIncident;
import io.lifeboat.common.inventory.ClusterRef;
import io.lifeboat.common.inventory.Deletion;
import io.lifeboat.common.inventory.HighAvailability;
import io.lifeboat.common.inventory.HostRef;
import io.lifeboat.common.inventory.NovaDetails;
import io.lifeboat.common.inventory.VmState;
import io.lifeboat.common.inventory.VmStatus;
import io.lifeboat.common.inventory.Watchdog;
import io.lifeboat.common.inventory.WatchdogAction;
import io.lifeboat.common.inventory.WatchdogSource;
import io.lifeboat.common.libvirt.IngestPath;
import io.lifeboat.common.libvirt.IoErrorInfo;
import io.lifeboat.common.libvirt.LibvirtEventKind;
import io.lifeboat.common.libvirt.LibvirtRawEvent;
import io.lifeboat.common.topic.Topic;
import io.lifeboat.testsupport.KafkaTestClient;
import io.lifeboat.testsupport.LifeboatInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Raw libvirt events, as virsh lines over HTTP, as JSON over HTTP and as an agent's records on the raw topic, become
 * the same incidents in the real PostgreSQL, published on the real Kafka broker. Each test uses its own VMs.
 */
@QuarkusTest
@QuarkusTestResource(LifeboatInfra.class)
class IncidentFlowTest {

    private static final DateTimeFormatter VIRSH = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC);
    private static KafkaTestClient kafka;

    @BeforeAll
    static void start() {
        kafka = new KafkaTestClient();
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    /** An OpenStack server on a hypervisor, as the collector publishes it. */
    private static VmState server(String source, String id, String name, String instanceName, String host) {
        return new VmState(VmKey.of(SourceId.of(source), id), SourceKind.OPENSTACK, name, new ClusterRef("az1", "az1"),
                new HostRef(HostKey.of(SourceId.of(source), host), host), VmStatus.RUNNING, "ACTIVE", null, List.of(),
                2048L * 1024 * 1024, null, List.of(), HighAvailability.NONE, null, null,
                new Watchdog("i6300esb", WatchdogAction.PAUSE, WatchdogSource.FLAVOR_EXTRA_SPEC), Deletion.NONE,
                Map.of(), List.of(), new NovaDetails("active", null, 1, instanceName, host, "m1", null, "UP", "p"),
                Instant.now());
    }

    private static String line(Instant at, String event, String domain, String details) {
        return VIRSH.format(at) + "+0000: event '" + event + "' for domain '" + domain + "'"
                + (details == null ? "" : ": " + details);
    }

    /** One guest's three failures as virsh prints them: a watchdog pause, a storage error, a panic. */
    private static String failures(String domain, Instant t) {
        return String.join("\n",
                line(t, "watchdog", domain, "pause"),
                line(t.plusMillis(1), "lifecycle", domain, "Suspended Watchdog"),
                line(t.plusSeconds(60), "io-error", domain, "/dev/dm-7 (virtio-disk1) pause"),
                line(t.plusSeconds(60), "io-error", domain, "/dev/dm-7 (virtio-disk1) pause due to eio"),
                line(t.plusSeconds(60).plusMillis(1), "lifecycle", domain, "Suspended I/O Error"),
                line(t.plusSeconds(120), "lifecycle", domain, "Crashed Panicked"),
                "events received: 6");
    }

    private static JsonPath postVirsh(String hypervisor, String body, int status) {
        return given().auth().preemptive().basic("agent", "agent").contentType(ContentType.TEXT)
                .queryParam("hypervisor", hypervisor).body(body).post("/api/v1/events/virsh").then()
                .statusCode(status).extract().jsonPath();
    }

    private static List<Map<String, Object>> incidents(String vm) {
        return given().auth().preemptive().basic("viewer", "viewer").queryParam("vm", vm).get("/api/v1/incidents")
                .then().statusCode(200).extract().jsonPath().getList("");
    }

    /** kind → [eventCount, action], the shape compared across ingestion forms. */
    private static Map<String, List<Object>> shape(List<Map<String, Object>> incidents) {
        return incidents.stream().collect(Collectors.toMap(i -> (String) i.get("kind"),
                i -> java.util.Arrays.asList(i.get("eventCount"), i.get("action"))));
    }

    @Test
    void theThreeIngestionFormsGiveTheSameIncidentsAndDuplicatesCollapse() {
        String a = UUID.randomUUID().toString();
        String b = UUID.randomUUID().toString();
        String c = UUID.randomUUID().toString();
        kafka.publish(EventEnvelope.create(URI.create("/test"), server("os-w1", a, "web-a", "instance-0000b001",
                "cmp-w1")));
        kafka.publish(EventEnvelope.create(URI.create("/test"), server("os-w1", b, "web-b", "instance-0000b002",
                "cmp-w1")));
        kafka.publish(EventEnvelope.create(URI.create("/test"), server("os-w1", c, "web-c", "instance-0000b003",
                "cmp-w1")));
        Instant t = Instant.parse("2026-11-20T10:00:00Z");

        // (1) virsh lines over HTTP, by domain name
        JsonPath r = postVirsh("cmp-w1", failures("instance-0000b001", t), 202);
        assertThat(r.getInt("accepted")).isEqualTo(6);
        assertThat(r.getInt("ignored")).isEqualTo(1);
        // (2) an agent's records on the raw topic, by domain UUID
        for (LibvirtRawEvent e : List.of(
                raw(c, null, LibvirtEventKind.WATCHDOG, null, null, "pause", null, t),
                raw(c, null, LibvirtEventKind.LIFECYCLE, "Suspended", "Watchdog", null, null, t.plusMillis(1)),
                raw(c, null, LibvirtEventKind.IO_ERROR, null, null, null, new IoErrorInfo("/dev/dm-7", "virtio-disk1",
                        "pause", null), t.plusSeconds(60)),
                raw(c, null, LibvirtEventKind.IO_ERROR_REASON, null, null, null, new IoErrorInfo("/dev/dm-7",
                        "virtio-disk1", "pause", "eio"), t.plusSeconds(60)),
                raw(c, null, LibvirtEventKind.LIFECYCLE, "Suspended", "I/O Error", null, null,
                        t.plusSeconds(60).plusMillis(1)),
                raw(c, null, LibvirtEventKind.LIFECYCLE, "Crashed", "Panicked", null, null, t.plusSeconds(120)))) {
            kafka.publish(EventEnvelope.create(URI.create("/agent/cmp-w1"), e));
        }
        // (3) JSON over HTTP, by domain name
        String json = """
                [{"hypervisor":"cmp-w1","domainName":"instance-0000b002","kind":"WATCHDOG","watchdogAction":"pause","occurredAt":"%1$s"},
                 {"hypervisor":"cmp-w1","domainName":"instance-0000b002","kind":"LIFECYCLE","lifecycleType":"Suspended","lifecycleDetail":"Watchdog","occurredAt":"%2$s"},
                 {"hypervisor":"cmp-w1","domainName":"instance-0000b002","kind":"IO_ERROR","ioError":{"srcPath":"/dev/dm-7","devAlias":"virtio-disk1","action":"pause"},"occurredAt":"%3$s"},
                 {"hypervisor":"cmp-w1","domainName":"instance-0000b002","kind":"IO_ERROR_REASON","ioError":{"srcPath":"/dev/dm-7","devAlias":"virtio-disk1","action":"pause","reason":"eio"},"occurredAt":"%3$s"},
                 {"hypervisor":"cmp-w1","domainName":"instance-0000b002","kind":"LIFECYCLE","lifecycleType":"Suspended","lifecycleDetail":"I/O Error","occurredAt":"%4$s"},
                 {"hypervisor":"cmp-w1","domainName":"instance-0000b002","kind":"LIFECYCLE","lifecycleType":"Crashed","lifecycleDetail":"Panicked","occurredAt":"%5$s"}]
                """.formatted(t, t.plusMillis(1), t.plusSeconds(60), t.plusSeconds(60).plusMillis(1),
                t.plusSeconds(120));
        assertThat(given().auth().preemptive().basic("agent", "agent").contentType(ContentType.JSON).body(json)
                .post("/api/v1/events").then().statusCode(202).extract().jsonPath().getInt("accepted")).isEqualTo(6);

        Map<String, List<Object>> expected = Map.of(
                "WATCHDOG_ACTION", List.of(2, "pause"),
                "STORAGE_IO_ERROR", List.of(3, "pause"),
                "GUEST_PANIC", List.of(1, "panicked"));
        for (String vm : List.of("os-w1/" + a, "os-w1/" + b, "os-w1/" + c)) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(shape(incidents(vm))).as(vm).isEqualTo(expected));
        }
        // The same batch again (a retried pipe): nothing new.
        postVirsh("cmp-w1", failures("instance-0000b001", t), 202);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).untilAsserted(() ->
                assertThat(shape(incidents("os-w1/" + a))).isEqualTo(expected));

        // One incident with its raw events, and its publication on the incidents topic, tied to the VM.
        String panicId = incidents("os-w1/" + a).stream().filter(i -> "GUEST_PANIC".equals(i.get("kind")))
                .map(i -> (String) i.get("id")).findFirst().orElseThrow();
        JsonPath detail = given().auth().preemptive().basic("viewer", "viewer").get("/api/v1/incidents/" + panicId)
                .then().statusCode(200).extract().jsonPath();
        assertThat(detail.getString("incident.vmName")).isEqualTo("web-a");
        assertThat(detail.getString("incident.host")).isEqualTo("os-w1/cmp-w1");
        assertThat(detail.getString("events[0].rawLine")).endsWith("Crashed Panicked");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(incidentEvents().stream()
                .filter(g -> g.incidentId().toString().equals(panicId))
                .anyMatch(g -> g.vm() != null && g.vm().vmId().equals(a) && g.rawEventIds().size() == 1)).isTrue());
    }

    private static LibvirtRawEvent raw(String uuid, String name, LibvirtEventKind kind, String type, String detail,
                                       String watchdog, IoErrorInfo io, Instant at) {
        return new LibvirtRawEvent("cmp-w1", null, uuid, name, kind, type, detail, watchdog, io, at, IngestPath.AGENT,
                null);
    }

    private static List<GuestIncident> incidentEvents() {
        return kafka.readToEnd(Topic.GUEST_INCIDENTS.topicName()).stream()
                .map(r -> (GuestIncident) CloudEventsKafka.decode(r.headers(), r.value()).data()).toList();
    }

    @Test
    void anUnknownDomainIsKeptAndCorrelatedWhenTheInventoryLearnsIt() {
        String domain = "instance-0000c0" + (100 + (int) (Math.random() * 800));
        postVirsh("cmp-w2", line(Instant.parse("2026-11-20T11:00:00Z"), "lifecycle", domain, "Stopped Failed"), 202);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<Map<String, Object>> l = given().auth().preemptive().basic("viewer", "viewer")
                    .queryParam("host", "cmp-w2").get("/api/v1/incidents").then().statusCode(200).extract()
                    .jsonPath().getList("");
            assertThat(l).anyMatch(i -> domain.equals(i.get("domainName")) && i.get("vm") == null
                    && "UNEXPECTED_STOP".equals(i.get("kind")));
        });
        String id = UUID.randomUUID().toString();
        kafka.publish(EventEnvelope.create(URI.create("/test"), server("os-w2", id, "late-vm", domain, "cmp-w2")));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<Map<String, Object>> l = incidents("os-w2/" + id);
            assertThat(l).hasSize(1);
            assertThat(l.get(0).get("kind")).isEqualTo("UNEXPECTED_STOP");
            assertThat(l.get(0).get("vmName")).isEqualTo("late-vm");
        });
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(incidentEvents()).anyMatch(g ->
                g.vm() != null && g.vm().vmId().equals(id) && domain.equals(g.domainName())));
    }

    @Test
    void aGuestCrashingThreeTimesWithinTheWindowIsACrashLoop() {
        String id = UUID.randomUUID().toString();
        kafka.publish(EventEnvelope.create(URI.create("/test"), server("os-w3", id, "flaky", "instance-0000d001",
                "cmp-w3")));
        await().atMost(Duration.ofSeconds(20)).until(() -> given().auth().preemptive().basic("viewer", "viewer")
                .get("/api/v1/incidents").statusCode() == 200);
        Instant t = Instant.parse("2026-11-20T12:00:00Z");
        // Two crashes: no loop yet. Each crash is a panic then libvirt's stop: one incident each.
        postVirsh("cmp-w3", String.join("\n",
                line(t, "lifecycle", "instance-0000d001", "Crashed Panicked"),
                line(t.plusSeconds(1), "lifecycle", "instance-0000d001", "Stopped Crashed"),
                line(t.plusSeconds(90), "lifecycle", "instance-0000d001", "Crashed Panicked")), 202);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(incidents("os-w3/" + id)).extracting(i -> i.get("kind"))
                        .containsExactlyInAnyOrder("GUEST_PANIC", "GUEST_PANIC"));
        postVirsh("cmp-w3", line(t.plusSeconds(180), "lifecycle", "instance-0000d001", "Crashed Panicked"), 202);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<Map<String, Object>> l = incidents("os-w3/" + id);
            assertThat(l).extracting(i -> i.get("kind")).containsExactlyInAnyOrder("GUEST_PANIC", "GUEST_PANIC",
                    "GUEST_PANIC", "CRASH_LOOP");
            Map<String, Object> loop = l.stream().filter(i -> "CRASH_LOOP".equals(i.get("kind"))).findFirst()
                    .orElseThrow();
            assertThat(loop.get("eventCount")).isEqualTo(3);
            assertThat((String) loop.get("detail")).isEqualTo("3 crashes within 10 min");
            // the first panic's incident took its Stopped Crashed too
            assertThat(l.stream().filter(i -> "GUEST_PANIC".equals(i.get("kind"))).mapToInt(i ->
                    (Integer) i.get("eventCount")).sum()).isEqualTo(4);
        });
        // Counts over time for dashboards: this source's incidents in the hour of the crashes, by kind.
        List<Map<String, Object>> counts = given().auth().preemptive().basic("viewer", "viewer")
                .queryParam("bucket", "hour").queryParam("from", "2026-11-20T12:00:00Z")
                .queryParam("to", "2026-11-20T13:00:00Z").queryParam("source", "os-w3")
                .get("/api/v1/incidents/counts").then().statusCode(200).extract().jsonPath().getList("");
        assertThat(counts).extracting(c -> c.get("bucket") + " " + c.get("kind") + " " + c.get("count"))
                .containsExactly("2026-11-20T12:00:00Z CRASH_LOOP 1", "2026-11-20T12:00:00Z GUEST_PANIC 3");
        given().auth().preemptive().basic("viewer", "viewer").queryParam("bucket", "week")
                .get("/api/v1/incidents/counts").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void malformedLinesAndPayloadsAreRejectedWithTheirReasonAndTheRestIsTaken() {
        String id = UUID.randomUUID().toString();
        kafka.publish(EventEnvelope.create(URI.create("/test"), server("os-w4", id, "mixed", "instance-0000e001",
                "cmp-w4")));
        Instant t = Instant.parse("2026-11-20T13:00:00Z");
        JsonPath r = postVirsh("cmp-w4", String.join("\n",
                line(t, "watchdog", "instance-0000e001", "reset"),
                "garbage that is not virsh",
                line(t.plusSeconds(1), "watchdog", "instance-0000e001", "explode"),
                line(t.plusSeconds(1), "reboot", "instance-0000e001", null)), 202);
        assertThat(r.getInt("accepted")).isEqualTo(2);
        assertThat(r.getList("rejected.item", Integer.class)).containsExactly(2, 3);
        assertThat(r.getString("rejected[1].reason")).isEqualTo("unknown watchdog action 'explode'");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<Map<String, Object>> l = incidents("os-w4/" + id);
            assertThat(l).hasSize(1);
            assertThat(l.get(0).get("kind")).isEqualTo("WATCHDOG_ACTION");
            assertThat(l.get(0).get("action")).isEqualTo("reset");
            assertThat(l.get(0).get("eventCount")).isEqualTo(2);   // the reset's reboot joined it
        });
        // Nothing valid at all: 400 problem+json naming each line.
        given().auth().preemptive().basic("agent", "agent").contentType(ContentType.TEXT)
                .queryParam("hypervisor", "cmp-w4").body("nope\nstill nope").post("/api/v1/events/virsh").then()
                .statusCode(400).contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.equalTo("urn:lifeboat:problem:invalid-events"))
                .body("violations.size()", org.hamcrest.Matchers.equalTo(2));
        given().auth().preemptive().basic("agent", "agent").contentType(ContentType.JSON).body("{\"not\":\"array\"}")
                .post("/api/v1/events").then().statusCode(400).contentType("application/problem+json");
        JsonPath j = given().auth().preemptive().basic("agent", "agent").contentType(ContentType.JSON)
                .body("[{\"hypervisor\":\"cmp-w4\",\"kind\":\"WATCHDOG\",\"occurredAt\":\"" + t + "\"},"
                        + "{\"hypervisor\":\"cmp-w4\",\"domainName\":\"instance-0000e001\",\"kind\":\"LIFECYCLE\","
                        + "\"lifecycleType\":\"Crashed\",\"lifecycleDetail\":\"Panicked\",\"occurredAt\":\""
                        + t.plusSeconds(600) + "\"}]")
                .post("/api/v1/events").then().statusCode(202).extract().jsonPath();
        assertThat(j.getInt("accepted")).isEqualTo(1);
        assertThat(j.getString("rejected[0].reason")).isEqualTo("a libvirt event needs 'domainUuid' or 'domainName'");
        // A viewer may not ingest.
        given().auth().preemptive().basic("viewer", "viewer").contentType(ContentType.TEXT)
                .queryParam("hypervisor", "x").body("").post("/api/v1/events/virsh").then().statusCode(403);
        // A record on the raw topic that is no event: to the DLQ with its reason, and the consumer goes on.
        kafka.send(new ProducerRecord<>(Topic.LIBVIRT_RAW.topicName(), "cmp-w4", "not an event"
                .getBytes(StandardCharsets.UTF_8)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(kafka.readToEnd(
                Topic.LIBVIRT_RAW.topicName() + ".dlq").stream().map(x -> x.headers().lastHeader(
                "dead-letter-reason")).filter(Objects::nonNull).map(h -> new String(h.value(),
                StandardCharsets.UTF_8))).anyMatch(reason -> reason.contains("ce_specversion")));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(incidents("os-w4/" + id))
                .extracting(i -> i.get("kind")).contains("GUEST_PANIC"));
    }

    /** One impossible line in a 33-line batch: that line is refused with its number and reason, the 32 are taken. */
    @Test
    void aLineWithAnImpossibleTimeIsRefusedAloneAndTheRestOfTheBatchIsTaken() {
        String hv = "cmp-w5-" + UUID.randomUUID().toString().substring(0, 8);
        Instant t = Instant.parse("2026-11-21T08:00:00Z");
        List<String> lines = new java.util.ArrayList<>();
        for (int i = 0; i < 33; i++) {
            lines.add(line(t.plusSeconds(i), "watchdog", "instance-0000f" + String.format("%03d", i), "pause"));
        }
        lines.set(16, "2026-13-45 25:61:00.000+0000: event 'watchdog' for domain 'instance-0000f016': pause");
        lines.set(20, "2026-02-30 08:00:20.000+0000: event 'watchdog' for domain 'instance-0000f020': pause");
        JsonPath r = postVirsh(hv, String.join("\n", lines), 202);
        assertThat(r.getInt("accepted")).isEqualTo(31);
        assertThat(r.getList("rejected.item", Integer.class)).containsExactly(17, 21);
        assertThat(r.getString("rejected[0].reason")).startsWith("impossible time '2026-13-45 25:61:00.000'");
        assertThat(r.getString("rejected[1].reason")).startsWith("impossible time '2026-02-30 08:00:20.000'");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            try (var c = io.lifeboat.testsupport.TestInfrastructure.get().jdbc();
                 var ps = c.prepareStatement("select count(*) from watchdog.raw_event where hypervisor = ?")) {
                ps.setString(1, hv);
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(rs.getLong(1)).isEqualTo(31);
                }
            }
        });
    }
}
