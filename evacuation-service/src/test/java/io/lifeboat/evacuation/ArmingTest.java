package io.lifeboat.evacuation;

import io.lifeboat.common.change.CollectionCycleFinished;
import io.lifeboat.common.change.CycleOutcome;
import io.lifeboat.common.envelope.EventEnvelope;
import io.lifeboat.common.id.SourceId;
import io.lifeboat.common.id.SourceKind;
import io.lifeboat.common.inventory.HostStatus;
import io.lifeboat.testsupport.KafkaTestClient;
import io.lifeboat.testsupport.LifeboatInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A source disarmed for maintenance: its failures are tracked and confirmed but none is fenced or recovered, each
 * waits for an operator with the disarm (who, when, why) in its reason, and every episode shows the source disarmed.
 * Arming and disarming are operator actions with a dry run, audited, and the state is in {@code /api/v1/sources}
 * and in a gauge. The source ({@code arm-test}) has recovery on and no fencer, so once armed a failure waits for an
 * operator for that reason instead.
 */
@QuarkusTest
@QuarkusTestResource(LifeboatInfra.class)
class ArmingTest {

    private static final URI SOURCE = URI.create("/lifeboat/test");
    private static final SourceId SRC = SourceId.of("arm-test");
    private static final KafkaTestClient KAFKA = new KafkaTestClient();

    @AfterAll
    static void close() {
        KAFKA.close();
    }

    private static void host(String id, HostStatus status, Instant at) {
        TestHosts.publish(KAFKA, SRC, id, status, at);
    }

    private static io.restassured.response.ValidatableResponse action(String user, String what, Object body,
                                                                       String query) {
        return given().auth().preemptive().basic(user, user).contentType(ContentType.JSON).body(body)
                .post("/api/v1/sources/" + SRC + "/" + what + query).then();
    }

    private static Map<String, Object> source() {
        List<Map<String, Object>> all = given().auth().preemptive().basic("viewer", "viewer").get("/api/v1/sources")
                .then().statusCode(200).extract().jsonPath().getList("");
        return all.stream().filter(s -> SRC.value().equals(s.get("source"))).findFirst().orElseThrow();
    }

    private static Map<String, Object> episode(String host) {
        List<Map<String, Object>> l = given().auth().preemptive().basic("viewer", "viewer")
                .get("/api/v1/episodes?source=" + SRC + "&host=" + host + "&limit=1").then().statusCode(200)
                .extract().jsonPath().getList("");
        return l.isEmpty() ? null : l.get(0);
    }

    @Test
    void aDisarmedSourceFencesAndRecoversNothingAndSaysWhy() {
        // Refusals first: a viewer, a field the action does not take, a source that is not configured.
        action("viewer", "disarm", Map.of(), "").statusCode(403);
        action("operator", "disarm", Map.of("targetHost", "x"), "").statusCode(400)
                .body("type", org.hamcrest.Matchers.equalTo("urn:lifeboat:problem:malformed-body"));
        given().auth().preemptive().basic("operator", "operator").contentType(ContentType.JSON).body("{}")
                .post("/api/v1/sources/no-such-source/disarm").then().statusCode(404)
                .body("type", org.hamcrest.Matchers.equalTo("urn:lifeboat:problem:source-not-found"));
        // A dry run changes nothing and is audited as one.
        action("operator", "disarm", Map.of("reason", "maintenance window"), "?dryRun=true").statusCode(200)
                .body("armed", org.hamcrest.Matchers.equalTo(true));
        assertThat(source().get("armed")).isEqualTo(true);

        action("operator", "disarm", Map.of("reason", "maintenance window"), "").statusCode(200)
                .body("armed", org.hamcrest.Matchers.equalTo(false));
        Map<String, Object> s = source();
        assertThat(s).containsEntry("armed", false).containsEntry("changedBy", "operator")
                .containsEntry("reason", "maintenance window");
        assertThat(given().get("/q/metrics").asString())
                .contains("lifeboat_evacuation_source_armed{source=\"arm-test\"} 0.0");

        Instant t = Instant.now();
        KAFKA.publish(EventEnvelope.create(SOURCE, new CollectionCycleFinished(SRC, SourceKind.OPENSTACK, t, t,
                CycleOutcome.COMPLETE, 5, 0, 3, 5, null)));
        for (String h : List.of("cmp-2", "cmp-3", "cmp-4", "cmp-5")) {
            host(h, HostStatus.UP, t);
        }
        host("cmp-1", HostStatus.DOWN, t);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Object> e = episode("cmp-1");
            assertThat(e).isNotNull();
            assertThat(e.get("phase")).isEqualTo("AWAITING_APPROVAL");
            assertThat((String) e.get("reason")).startsWith("source arm-test is disarmed (by operator at ")
                    .endsWith(": maintenance window): nothing is fenced or recovered until it is armed, or an"
                            + " operator approves");
            assertThat(e.get("sourceArmed")).isEqualTo(false);
            assertThat(e.get("confirmedAt")).isNotNull();
            assertThat(e.get("fencedAt")).isNull();
        });

        action("operator", "arm", Map.of("reason", "maintenance over"), "").statusCode(200)
                .body("armed", org.hamcrest.Matchers.equalTo(true));
        host("cmp-2", HostStatus.DOWN, t.plusSeconds(1));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Object> e = episode("cmp-2");
            assertThat(e).isNotNull();
            assertThat(e.get("phase")).isEqualTo("AWAITING_APPROVAL");
            assertThat((String) e.get("reason")).startsWith("no fencer can confirm this host powered off");
            assertThat(e.get("sourceArmed")).isEqualTo(true);
        });
        JsonPath audit = given().auth().preemptive().basic("viewer", "viewer").get("/api/v1/audit?target=" + SRC)
                .then().statusCode(200).extract().jsonPath();
        assertThat(audit.getList("findAll { it.action == 'disarm' }.dryRun", Boolean.class))
                .containsExactlyInAnyOrder(true, false);
        assertThat(audit.getList("findAll { it.action == 'arm' }.result", String.class)).containsExactly("ARMED");
    }
}
