package io.lifeboat.evacuation;

import io.lifeboat.common.change.CollectionCycleFinished;
import io.lifeboat.common.change.CycleOutcome;
import io.lifeboat.common.envelope.EventEnvelope;
import io.lifeboat.common.id.SourceId;
import io.lifeboat.common.id.SourceKind;
import io.lifeboat.common.inventory.HostState;
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
 * A service on an empty database whose first sight of a source is one host down (a fast failure signal arrives before
 * the collector's first cycle is read): no partition verdict is made on that "1 of 1 hosts", the failure waits for the
 * source's complete host list, and then goes on as one host failure. Before, this declared a partition and never
 * recovered the host. The source ({@code view-test}) is configured with recovery off and a 1 s grace period, so the
 * episode ends waiting for an operator because the source is not recovered, never because of a partition.
 */
@QuarkusTest
@QuarkusTestResource(LifeboatInfra.class)
class CompleteViewTest {

    private static final URI SOURCE = URI.create("/lifeboat/test");
    private static final SourceId SRC = SourceId.of("view-test");
    private static final KafkaTestClient KAFKA = new KafkaTestClient();

    @AfterAll
    static void close() {
        KAFKA.close();
    }

    private static HostState host(String id, HostStatus status, Instant at) {
        return TestHosts.state(SRC, id, status, at);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> episode() {
        List<Map<String, Object>> l = given().auth().preemptive().basic("viewer", "viewer")
                .get("/api/v1/episodes?source=" + SRC + "&limit=5").then().statusCode(200).extract().jsonPath()
                .getList("");
        assertThat(l).hasSizeLessThanOrEqualTo(1);
        return l.isEmpty() ? null : l.get(0);
    }

    private static long partitionAudits() {
        return given().auth().preemptive().basic("viewer", "viewer").get("/api/v1/audit?target=" + SRC).then()
                .statusCode(200).extract().jsonPath().getList("action", String.class).stream()
                .filter("partition-suspected"::equals).count();
    }

    @Test
    void oneDownHostSeenBeforeTheSourcesHostListIsNotAPartitionAndIsJudgedOnceTheListIsComplete() {
        Instant t0 = Instant.now();
        KAFKA.publish(EventEnvelope.create(SOURCE, host("cmp-1", HostStatus.DOWN, t0)));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Object> e = episode();
            assertThat(e).isNotNull();
            assertThat((String) e.get("reason")).isEqualTo("waiting for the source's complete host list before any"
                    + " verdict (no collection cycle of view-test seen yet)");
        });
        // Well past the 1 s grace period and many ticks: still no verdict, neither confirmed nor a partition.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(episode().get("phase")).isEqualTo("SUSPECTED");
            assertThat(episode().get("partition")).isEqualTo(false);
        });

        // The collector's cycle says 5 hosts; until all 5 are seen here, still no verdict.
        KAFKA.publish(EventEnvelope.create(SOURCE, new CollectionCycleFinished(SRC, SourceKind.OPENSTACK, t0, t0,
                CycleOutcome.COMPLETE, 5, 0, 3, 5, null)));
        KAFKA.publish(EventEnvelope.create(SOURCE, host("cmp-2", HostStatus.UP, t0)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat((String) episode().get("reason"))
                .isEqualTo("waiting for the source's complete host list before any verdict (2 of the 5 hosts of"
                        + " view-test seen)"));
        assertThat(episode().get("phase")).isEqualTo("SUSPECTED");

        for (String h : List.of("cmp-3", "cmp-4", "cmp-5")) {
            KAFKA.publish(EventEnvelope.create(SOURCE, host(h, HostStatus.UP, t0)));
        }
        // 1 of 5 down: a host failure. It is confirmed, and then waits for an operator because recovery is off here.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Object> e = episode();
            assertThat(e.get("phase")).isEqualTo("AWAITING_APPROVAL");
            assertThat((String) e.get("reason")).contains("not configured for recovery");
            assertThat(e.get("partition")).isEqualTo(false);
            assertThat(e.get("confirmedAt")).isNotNull();
        });
        assertThat(partitionAudits()).isZero();
    }
}
