package io.lifeboat.evacuation;

import io.lifeboat.common.id.SourceId;
import io.lifeboat.common.inventory.HostStatus;
import io.lifeboat.testsupport.KafkaTestClient;
import io.lifeboat.testsupport.LifeboatInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
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
 * A flapping host: down, back, down, back, down within minutes. Each failure signal opens an episode (the first two
 * close as ABANDONED when the host comes back before its fence); the third within the hour (the default
 * {@code quarantine-after} 3, {@code quarantine-window} 1h) is quarantined, with an alert in the audit trail; the
 * first two are not.
 */
@QuarkusTest
@QuarkusTestResource(LifeboatInfra.class)
class QuarantineTest {

    private static final URI SOURCE = URI.create("/lifeboat/test");
    private static final SourceId SRC = SourceId.of("view-test");
    private static final String HOST = "flap-1";
    private static final KafkaTestClient KAFKA = new KafkaTestClient();

    @AfterAll
    static void close() {
        KAFKA.close();
    }

    private static void state(HostStatus status, Instant at) {
        TestHosts.publish(KAFKA, SRC, HOST, status, at);
    }

    private static List<Map<String, Object>> episodes() {
        return given().auth().preemptive().basic("viewer", "viewer")
                .get("/api/v1/episodes?source=" + SRC + "&host=" + HOST + "&limit=10").then().statusCode(200)
                .extract().jsonPath().getList("");
    }

    @Test
    void theThirdFailureOfAHostWithinAnHourIsQuarantined() {
        Instant t = Instant.now().minusSeconds(60);
        for (int flap = 1; flap <= 3; flap++) {
            int opened = flap;
            state(HostStatus.DOWN, t = t.plusSeconds(1));
            await().atMost(Duration.ofSeconds(30)).until(() -> episodes().size() == opened);
            if (flap < 3) {
                state(HostStatus.UP, t = t.plusSeconds(1));
                await().atMost(Duration.ofSeconds(30)).until(() -> "ABANDONED".equals(episodes().get(0).get("phase")));
            }
        }
        List<Map<String, Object>> all = episodes();   // newest first
        assertThat(all).extracting(e -> e.get("quarantined")).containsExactly(true, false, false);
        // Whatever phase it has reached (its grace of 1 s may already have confirmed it), it says it is quarantined.
        assertThat((String) all.get(0).get("reason")).contains("quarantined");
        List<Map<String, Object>> audit = given().auth().preemptive().basic("viewer", "viewer")
                .get("/api/v1/audit?target=" + SRC + "/" + HOST).then().statusCode(200).extract().jsonPath()
                .getList("");
        assertThat(audit).filteredOn(a -> "quarantine".equals(a.get("action"))).hasSize(1)
                .allSatisfy(a -> {
                    assertThat(a.get("result")).isEqualTo("ALERT");
                    assertThat((String) a.get("detail")).contains("quarantined: failure 3 of this host within 60"
                            + " min (quarantine-after 3)");
                });
        String metrics = given().get("/q/metrics").asString();
        assertThat(metrics).contains("lifeboat_evacuation_quarantines_total{source=\"view-test\"} 1.0");
    }
}
