package io.lifeboat.mapping;

import io.lifeboat.common.envelope.CloudEventsKafka;
import io.lifeboat.common.envelope.EventEnvelope;
import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.id.SourceId;
import io.lifeboat.common.id.SourceKind;
import io.lifeboat.common.inventory.ClusterRef;
import io.lifeboat.common.inventory.HostState;
import io.lifeboat.common.inventory.HostStatus;
import io.lifeboat.common.topic.Topic;
import io.lifeboat.testsupport.KafkaTestClient;
import io.lifeboat.testsupport.LifeboatInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

/**
 * The harness end to end: an event encoded by the shared publishing code travels through the real broker, is consumed
 * by the mapping-service, stored in the real PostgreSQL, and read back over REST; bad records go to the DLQ with
 * their reason while the consumer carries on.
 */
@QuarkusTest
@QuarkusTestResource(LifeboatInfra.class)
class HostHistoryFlowTest {

    private static final URI SOURCE = URI.create("/lifeboat/collector/test");
    private static final Instant T1 = Instant.parse("2024-05-01T10:00:00Z");
    private static KafkaTestClient kafka;

    @BeforeAll
    static void connect() {
        kafka = new KafkaTestClient();
        io.restassured.RestAssured.authentication = io.restassured.RestAssured.preemptive().basic("viewer", "viewer");
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
        io.restassured.RestAssured.reset();
    }

    @Test
    void hostStatesBecomeIntervalsReadableAsOfAnyTime() {
        HostKey host = HostKey.of(SourceId.of("ovirt-flow"), "h-" + UUID.randomUUID());
        kafka.publish(EventEnvelope.create(SOURCE, state(host, HostStatus.UP, "up", T1)));
        kafka.publish(EventEnvelope.create(SOURCE, state(host, HostStatus.UP, "up", T1.plusSeconds(60))));
        kafka.publish(EventEnvelope.create(SOURCE, state(host, HostStatus.NON_RESPONSIVE, "non_responsive",
                T1.plusSeconds(120))));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().get(historyPath(host)).then().statusCode(200).body("$", hasSize(2)));

        // Identical observations extended the first interval instead of adding rows; the change opened a new one.
        given().get(historyPath(host)).then()
                .body("[0].status", equalTo("NON_RESPONSIVE"))
                .body("[0].platformStatus", equalTo("non_responsive"))
                .body("[0].since", equalTo("2024-05-01T10:02:00Z"))
                .body("[0].until", nullValue())
                .body("[1].status", equalTo("UP"))
                .body("[1].since", equalTo("2024-05-01T10:00:00Z"))
                .body("[1].until", equalTo("2024-05-01T10:02:00Z"))
                .body("[1].lastSeenAt", equalTo("2024-05-01T10:01:00Z"))
                .body("[1].clusterName", equalTo("prod-a"));

        given().queryParam("asOf", "2024-05-01T10:01:59Z").queryParam("source", "ovirt-flow")
                .get("/api/v1/hosts").then().statusCode(200)
                .body("find { it.hostKey == '" + host + "' }.status", equalTo("UP"));
        given().queryParam("asOf", "2024-05-01T10:02:00Z").queryParam("source", "ovirt-flow")
                .get("/api/v1/hosts").then().statusCode(200)
                .body("find { it.hostKey == '" + host + "' }.status", equalTo("NON_RESPONSIVE"));
        given().queryParam("asOf", "2024-05-01T09:59:59Z").queryParam("source", "ovirt-flow")
                .get("/api/v1/hosts").then().statusCode(200)
                .body("find { it.hostKey == '" + host + "' }", nullValue());
    }

    /**
     * A host rebooting after its failure (the oVirt engine's own fence restarts it: connecting, then reboot) is still
     * in that failure: its plan is as of the failure's start, not of now, when its VMs have left; once it is up again,
     * the failure is over.
     */
    @Test
    void aHostRebootingAfterItsFailureKeepsTheFailuresPlanTime() {
        HostKey host = HostKey.of(SourceId.of("ovirt-flow"), "reboot-" + UUID.randomUUID());
        kafka.publish(EventEnvelope.create(SOURCE, state(host, HostStatus.UP, "up", T1)));
        kafka.publish(EventEnvelope.create(SOURCE, state(host, HostStatus.NON_RESPONSIVE, "connecting",
                T1.plusSeconds(120))));
        kafka.publish(EventEnvelope.create(SOURCE, state(host, HostStatus.TRANSITIONING, "reboot",
                T1.plusSeconds(180))));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().get(historyPath(host)).then().statusCode(200).body("$", hasSize(3)));
        String plan = "/api/v1/hosts/" + host.source().value() + "/" + host.hostId() + "/unmap-plan";
        given().get(plan).then().statusCode(200).body("asOf", equalTo("2024-05-01T10:02:00Z"));
        kafka.publish(EventEnvelope.create(SOURCE, state(host, HostStatus.UP, "up", T1.plusSeconds(240))));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().get(historyPath(host)).then().statusCode(200).body("$", hasSize(4)));
        assertThat(Instant.parse(given().get(plan).then().statusCode(200).extract().path("asOf")))
                .isAfter(T1.plusSeconds(240));
    }

    @Test
    void redeliveredEventChangesNothing() {
        HostKey host = HostKey.of(SourceId.of("ovirt-flow"), "dup-" + UUID.randomUUID());
        EventEnvelope<HostState> up = EventEnvelope.create(SOURCE, state(host, HostStatus.UP, "up", T1));
        EventEnvelope<HostState> down = EventEnvelope.create(SOURCE, state(host, HostStatus.DOWN, "down",
                T1.plusSeconds(10)));
        kafka.publish(up);
        kafka.publish(down);
        kafka.publish(up);   // the same event id again: must not reopen UP
        HostKey marker = HostKey.of(SourceId.of("ovirt-flow"), "marker-" + UUID.randomUUID());
        kafka.publish(EventEnvelope.create(SOURCE, state(marker, HostStatus.UP, "up", T1)));

        // Same partition order is not guaranteed across keys, so wait on the host itself, then check it settled.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().get(historyPath(host)).then().statusCode(200).body("$", hasSize(2))
                        .body("[0].status", equalTo("DOWN")));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                given().get(historyPath(host)).then().body("$", hasSize(2)).body("[0].status", equalTo("DOWN")));
    }

    @Test
    void malformedRecordsGoToTheDlqWithTheReasonAndTheConsumerGoesOn() throws Exception {
        String tag = UUID.randomUUID().toString();
        HostKey host = HostKey.of(SourceId.of("ovirt-flow"), "dlq-" + tag);

        // 1. no CloudEvents headers at all
        kafka.send(new ProducerRecord<>(Topic.INVENTORY_HOSTS.topicName(), null, host.toString(),
                ("garbage " + tag).getBytes(StandardCharsets.UTF_8), new RecordHeaders()));
        // 2. a host-state event whose data lacks a required field
        EventEnvelope<HostState> valid = EventEnvelope.create(SOURCE, state(host, HostStatus.UP, "up", T1));
        String withoutStatus = new String(CloudEventsKafka.data(valid), StandardCharsets.UTF_8)
                .replace("\"status\":\"UP\",", "");
        kafka.send(new ProducerRecord<>(Topic.INVENTORY_HOSTS.topicName(), null, host.toString(),
                withoutStatus.getBytes(StandardCharsets.UTF_8), new RecordHeaders(CloudEventsKafka.headers(valid))));
        // 3. a valid event after them
        kafka.publish(EventEnvelope.create(SOURCE, state(host, HostStatus.MAINTENANCE, "maintenance", T1)));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().get(historyPath(host)).then().statusCode(200).body("[0].status", equalTo("MAINTENANCE")));

        List<ConsumerRecord<String, byte[]>> dead = kafka.read(Topic.INVENTORY_HOSTS.dlqName(), 2,
                Duration.ofSeconds(30), r -> host.toString().equals(r.key()));
        assertThat(dead).hasSize(2);
        assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("garbage " + tag);
        assertThat(header(dead.get(0), "dead-letter-reason"))
                .contains("missing CloudEvents header 'ce_specversion'");
        assertThat(header(dead.get(0), "dead-letter-topic")).isEqualTo(Topic.INVENTORY_HOSTS.topicName());
        assertThat(header(dead.get(1), "dead-letter-reason"))
                .contains("lifeboat.host.state.v1 event " + valid.id() + ": missing required field 'status'");
        // the dead-lettered record keeps its original headers, so it can be fixed and replayed
        assertThat(header(dead.get(1), "ce_id")).isEqualTo(valid.id());
    }

    @Test
    void tombstoneClosesTheHostsOpenInterval() {
        HostKey host = HostKey.of(SourceId.of("ovirt-flow"), "gone-" + UUID.randomUUID());
        kafka.publish(EventEnvelope.create(SOURCE, state(host, HostStatus.UP, "up", T1)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().get(historyPath(host)).then().statusCode(200).body("[0].until", nullValue()));

        kafka.send(new ProducerRecord<String, byte[]>(Topic.INVENTORY_HOSTS.topicName(), null,
                T1.plusSeconds(300).toEpochMilli(), host.toString(), (byte[]) null));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().get(historyPath(host)).then().statusCode(200)
                        .body("[0].until", equalTo("2024-05-01T10:05:00Z")));
    }

    @Test
    void restErrorsAreProblemJson() {
        given().queryParam("asOf", "yesterday").get("/api/v1/hosts").then()
                .statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:lifeboat:problem:invalid-parameter"))
                .body("status", equalTo(400))
                .body("detail", equalTo("query parameter 'asOf' must be an RFC 3339 time with a zone, e.g."
                        + " 2024-05-01T10:00:00Z; got 'yesterday'"))
                .body("instance", equalTo("/api/v1/hosts"));
        given().queryParam("source", "Bad Source").get("/api/v1/hosts").then()
                .statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("invalid source id 'Bad Source': use 1-63 lower-case letters, digits, '.',"
                        + " '_' or '-', starting with a letter or digit"));
        given().get("/api/v1/hosts/ovirt-flow/no-such-host/history").then()
                .statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("urn:lifeboat:problem:host-not-found"))
                .body("detail", equalTo("no history for host ovirt-flow/no-such-host"));
        given().accept(ContentType.JSON).get("/api/v1/nothing-here").then()
                .statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("urn:lifeboat:problem:not-found"));
    }

    /**
     * A host nobody saw is a 404 for its VMs and its unmap plan: an operator's typo must not read as "nothing to
     * unmap", and publishing a plan for it stores and publishes nothing.
     */
    @Test
    void aHostLifeboatNeverSawIsA404NeverAnEmptyPlan() throws Exception {
        for (String path : List.of("/unmap-plan", "/unmap-plans", "/vms")) {
            given().get("/api/v1/hosts/ovirt-flow/never-seen" + path).then()
                    .statusCode(404).contentType("application/problem+json")
                    .body("type", equalTo("urn:lifeboat:problem:host-not-found"))
                    .body("detail", equalTo("Lifeboat has never seen host ovirt-flow/never-seen (neither in a"
                            + " source's host inventory nor as the host of a VM)"));
        }
        given().auth().preemptive().basic("operator", "operator")
                .post("/api/v1/hosts/ovirt-flow/never-seen/unmap-plans").then()
                .statusCode(404).body("type", equalTo("urn:lifeboat:problem:host-not-found"));
        try (java.sql.Connection c = io.lifeboat.testsupport.TestInfrastructure.get().jdbc();
             java.sql.ResultSet rs = c.createStatement().executeQuery(
                     "select count(*) from mapping.unmap_plan where host_key = 'ovirt-flow/never-seen'")) {
            rs.next();
            org.assertj.core.api.Assertions.assertThat(rs.getInt(1)).isZero();
        }
    }

    /** NUL reached PostgreSQL from any text parameter and came back as a 500; now it is a 400 naming the parameter. */
    @Test
    void controlCharactersAndOverlongParametersAreRefusedNamingTheParameter() {
        given().urlEncodingEnabled(false).get("/api/v1/export?cluster=a%00b").then()
                .statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:lifeboat:problem:invalid-parameter"))
                .body("detail", equalTo("query parameter 'cluster' contains the control character U+0000 at"
                        + " position 1; control characters are not accepted"));
        given().urlEncodingEnabled(false).get("/api/v1/hosts/ovirt-flow/a%0Ab/history").then()
                .statusCode(400)
                .body("detail", equalTo("path parameter 'hostId' contains the control character U+000A at position"
                        + " 1; control characters are not accepted"));
        given().queryParam("q", "x".repeat(256)).get("/api/v1/search").then()
                .statusCode(400)
                .body("detail", equalTo("query parameter 'q' is 256 characters long; at most 255 are accepted"));
    }

    private static HostState state(HostKey host, HostStatus status, String platformStatus, Instant at) {
        return new HostState(host, SourceKind.OVIRT, "hv-" + host.hostId().substring(0, 6),
                new ClusterRef("c1", "prod-a"), status, platformStatus, null, null, null, true, null, at);
    }

    private static String historyPath(HostKey host) {
        return "/api/v1/hosts/" + host.source() + "/" + host.hostId() + "/history";
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        return r.headers().lastHeader(name) == null ? null
                : new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
