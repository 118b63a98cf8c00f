package io.lifeboat.evacuation;

import io.lifeboat.common.change.CollectionCycleFinished;
import io.lifeboat.common.change.CycleOutcome;
import io.lifeboat.common.envelope.CloudEventsKafka;
import io.lifeboat.common.envelope.EventEnvelope;
import io.lifeboat.common.id.SourceId;
import io.lifeboat.common.id.SourceKind;
import io.lifeboat.common.inventory.HostStatus;
import io.lifeboat.common.recovery.RecoveryRunChanged;
import io.lifeboat.common.recovery.RecoveryRunState;
import io.lifeboat.common.topic.Topic;
import io.lifeboat.testsupport.KafkaTestClient;
import io.lifeboat.testsupport.LifeboatInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
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
 * A run that reaches its deadline (issue: "bounded everything"). The source {@code deadline-test} has a run deadline
 * of 3 s, 20 step attempts and a cloud that never answers (nothing listens on its Keystone port): the operator's
 * approval starts the run, its force-down fails and is retried with a backoff (1 s, 2 s, ...), and at 3 s the run ends
 * FAILED with the deadline as its reason, long before its step attempts run out. Nothing was moved, so the episode goes
 * back to an operator, and the end is audited, counted and published on the recovery topic.
 */
@QuarkusTest
@QuarkusTestResource(LifeboatInfra.class)
class RunDeadlineTest {

    private static final URI SOURCE = URI.create("/lifeboat/test");
    private static final SourceId SRC = SourceId.of("deadline-test");
    private static final String HOST = "cmp-1";
    private static final KafkaTestClient KAFKA = new KafkaTestClient();

    @AfterAll
    static void close() {
        KAFKA.close();
    }

    private static void host(String id, HostStatus status, Instant at) {
        TestHosts.publish(KAFKA, SRC, id, status, at);
    }

    private static Map<String, Object> episode() {
        List<Map<String, Object>> l = given().auth().preemptive().basic("viewer", "viewer")
                .get("/api/v1/episodes?source=" + SRC + "&host=" + HOST + "&limit=1").then().statusCode(200)
                .extract().jsonPath().getList("");
        return l.isEmpty() ? null : l.get(0);
    }

    private static List<Map<String, Object>> runs(String state) {
        return given().auth().preemptive().basic("viewer", "viewer")
                .get("/api/v1/runs?state=" + state + "&host=" + SRC + "/" + HOST).then().statusCode(200).extract()
                .jsonPath().getList("");
    }

    @Test
    void aRunPastItsDeadlineEndsFailedAndGoesBackToAnOperator() {
        Instant t = Instant.now();
        KAFKA.publish(EventEnvelope.create(SOURCE, new CollectionCycleFinished(SRC, SourceKind.OPENSTACK, t, t,
                CycleOutcome.COMPLETE, 3, 0, 0, 0, null)));
        host("cmp-2", HostStatus.UP, t);
        host("cmp-3", HostStatus.UP, t);
        host(HOST, HostStatus.DOWN, t);
        // No fencer: the confirmed failure waits for an operator, who confirms the host powered off.
        await().atMost(Duration.ofSeconds(30)).until(() -> !runs("AWAITING_APPROVAL").isEmpty());
        String runId = (String) runs("AWAITING_APPROVAL").get(0).get("id");
        given().auth().preemptive().basic("operator", "operator").contentType(ContentType.JSON)
                .body(Map.of("confirmFenced", true, "reason", "powered off by hand"))
                .post("/api/v1/runs/" + runId + "/approve").then().statusCode(200);

        await().atMost(Duration.ofSeconds(30)).until(() -> !"RUNNING".equals(run(runId).get("state")));
        Map<String, Object> run = run(runId);
        assertThat(run.get("state")).isEqualTo("FAILED");
        assertThat((String) run.get("detail")).isEqualTo("gave up: the run's deadline of 3 s passed; 0 moved,"
                + " 0 failed, 0 skipped");
        Duration took = Duration.between(Instant.parse((String) run.get("startedAt")),
                Instant.parse((String) run.get("finishedAt")));
        // Not before its deadline; after it, at most the backoff that was under way (1 s, then 2 s) and the try.
        assertThat(took).isBetween(Duration.ofSeconds(3), Duration.ofSeconds(10));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> steps = (List<Map<String, Object>>) run.get("steps");
        assertThat(steps.get(0)).containsEntry("step", "FENCE_HOST").containsEntry("outcome", "DONE");
        List<Map<String, Object>> forceDown = steps.stream().filter(s -> "FORCE_SERVICE_DOWN".equals(s.get("step")))
                .toList();
        // Tried more than once, each try recorded with why it failed, and far fewer than its 20 attempts.
        assertThat(forceDown).hasSizeBetween(2, 4).allSatisfy(s -> {
            assertThat(s).containsEntry("outcome", "FAILED");
            assertThat((String) s.get("detail")).isNotBlank();
        });
        // The instance list, begun beside each force-down, could not be read either (the same dead Keystone), and
        // nothing came after them.
        List<Map<String, Object>> beside = steps.subList(1, steps.size()).stream()
                .filter(s -> !"FORCE_SERVICE_DOWN".equals(s.get("step"))).toList();
        assertThat(beside).hasSize(forceDown.size()).allSatisfy(s -> {
            assertThat(s).containsEntry("step", "PREPARE_INSTANCE_LIST").containsEntry("outcome", "FAILED");
            assertThat((String) s.get("detail")).isNotBlank();
        });

        Map<String, Object> e = episode();
        assertThat(e.get("phase")).isEqualTo("AWAITING_APPROVAL");
        assertThat((String) e.get("reason")).startsWith("recovery failed (gave up: the run's deadline of 3 s passed;");
        List<Map<String, Object>> audit = given().auth().preemptive().basic("viewer", "viewer")
                .get("/api/v1/audit?target=" + runId).then().statusCode(200).extract().jsonPath().getList("");
        assertThat(audit).filteredOn(a -> "give-up-run".equals(a.get("action"))).singleElement()
                .satisfies(a -> assertThat(a.get("detail")).isEqualTo("the run's deadline of 3 s passed"));
        assertThat(given().get("/q/metrics").asString())
                .containsPattern("lifeboat_evacuation_runs_given_up_total\\{platform=\"OPENSTACK\"\\} [1-9]");
        List<RecoveryRunState> published = KAFKA.readToEnd(Topic.RECOVERY.topicName()).stream()
                .map(r -> CloudEventsKafka.decode(r.headers(), r.value()))
                .filter(env -> env.data() instanceof RecoveryRunChanged c && c.runId().toString().equals(runId))
                .map(env -> ((RecoveryRunChanged) env.data()).state()).toList();
        assertThat(published).contains(RecoveryRunState.RUNNING).last().isEqualTo(RecoveryRunState.FAILED);
    }

    private static Map<String, Object> run(String id) {
        return given().auth().preemptive().basic("viewer", "viewer").get("/api/v1/runs/" + id).then()
                .statusCode(200).extract().jsonPath().getMap("");
    }
}
