package io.lifeboat.watchdog;

import io.lifeboat.common.envelope.EventEnvelope;
import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.id.SourceId;
import io.lifeboat.common.id.SourceKind;
import io.lifeboat.common.id.VmKey;
import io.lifeboat.common.inventory.ClusterRef;
import io.lifeboat.common.inventory.Deletion;
import io.lifeboat.common.inventory.DeletionState;
import io.lifeboat.common.inventory.HighAvailability;
import io.lifeboat.common.inventory.HostRef;
import io.lifeboat.common.inventory.NovaDetails;
import io.lifeboat.common.inventory.VmState;
import io.lifeboat.common.inventory.VmStatus;
import io.lifeboat.common.inventory.Watchdog;
import io.lifeboat.common.inventory.WatchdogAction;
import io.lifeboat.common.inventory.WatchdogSource;
import io.lifeboat.common.topic.Topic;
import io.lifeboat.testsupport.KafkaTestClient;
import io.lifeboat.testsupport.LifeboatInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Watchdog coverage per host from the inventory, and the domains left behind after Nova's deferred delete. */
@QuarkusTest
@QuarkusTestResource(LifeboatInfra.class)
class CoverageAndLeftoversTest {

    private static VmState server(String source, String id, String name, String instance, String host,
                                  Watchdog watchdog, Deletion deletion) {
        return new VmState(VmKey.of(SourceId.of(source), id), SourceKind.OPENSTACK, name, new ClusterRef("az1", "az1"),
                new HostRef(HostKey.of(SourceId.of(source), host), host),
                deletion.state() == DeletionState.NONE ? VmStatus.RUNNING : VmStatus.SOFT_DELETED, "ACTIVE", null,
                List.of(), null, null, List.of(), HighAvailability.NONE, null, null, watchdog, deletion, Map.of(),
                List.of(), new NovaDetails(deletion.state() == DeletionState.NONE ? "active" : "soft-delete", null, 1,
                instance, host, "m1", null, "UP", "p"), Instant.now());
    }

    @Test
    void coverageCountsEachHostsWatchdogsByActionFromTheInventory() {
        try (KafkaTestClient kafka = new KafkaTestClient()) {
            kafka.publish(EventEnvelope.create(URI.create("/t"), server("os-c", UUID.randomUUID().toString(), "a",
                    "instance-0000f001", "cmp-c1", new Watchdog("i6300esb", WatchdogAction.PAUSE,
                    WatchdogSource.FLAVOR_EXTRA_SPEC), Deletion.NONE)));
            kafka.publish(EventEnvelope.create(URI.create("/t"), server("os-c", UUID.randomUUID().toString(), "b",
                    "instance-0000f002", "cmp-c1", null, Deletion.NONE)));
            kafka.publish(EventEnvelope.create(URI.create("/t"), server("os-c", UUID.randomUUID().toString(), "c",
                    "instance-0000f003", "cmp-c1", new Watchdog("i6300esb", WatchdogAction.RESET,
                    WatchdogSource.IMAGE_PROPERTY), Deletion.NONE)));
            kafka.publish(EventEnvelope.create(URI.create("/t"), server("os-c", UUID.randomUUID().toString(), "d",
                    "instance-0000f004", "cmp-c2", new Watchdog("i6300esb", WatchdogAction.RESET,
                    WatchdogSource.FLAVOR_EXTRA_SPEC), Deletion.NONE)));
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<Map<String, Object>> groups = given().auth().preemptive().basic("viewer", "viewer")
                    .queryParam("groupBy", "host").queryParam("source", "os-c").get("/api/v1/coverage").then()
                    .statusCode(200).extract().jsonPath().getList("");
            assertThat(groups).hasSize(2);
            Map<String, Object> c1 = groups.get(0);
            assertThat(c1.get("group")).isEqualTo("os-c/cmp-c1");
            assertThat(c1.get("vms")).isEqualTo(3);
            assertThat(c1.get("withWatchdog")).isEqualTo(2);
            assertThat(c1.get("withoutWatchdog")).isEqualTo(1);
            assertThat(c1.get("actions")).isEqualTo(Map.of("PAUSE", 1, "RESET", 1));
            assertThat(c1.get("panicUnknown")).isEqualTo(3);
            assertThat(groups.get(1).get("actions")).isEqualTo(Map.of("RESET", 1));
        });
        List<Map<String, Object>> vms = given().auth().preemptive().basic("viewer", "viewer")
                .queryParam("host", "cmp-c1").get("/api/v1/coverage/vms").then().statusCode(200).extract().jsonPath()
                .getList("");
        assertThat(vms).extracting(v -> v.get("name") + ":" + v.get("watchdogAction") + ":" + v.get("watchdogFrom"))
                .containsExactly("a:PAUSE:FLAVOR_EXTRA_SPEC", "b:null:null", "c:RESET:IMAGE_PROPERTY");
        given().auth().preemptive().basic("viewer", "viewer").queryParam("groupBy", "rack").get("/api/v1/coverage")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void domainsOfDeletedOrReclaimableVmsAreLeftovers() {
        String x = UUID.randomUUID().toString();
        String y = UUID.randomUUID().toString();
        String z = UUID.randomUUID().toString();
        String w = UUID.randomUUID().toString();
        Instant deleted = Instant.now().minus(Duration.ofHours(3));
        try (KafkaTestClient kafka = new KafkaTestClient()) {
            // x: soft-deleted 3 h ago, reclaim interval 1 h: Nova should have deleted it for good
            kafka.publish(EventEnvelope.create(URI.create("/t"), server("os-l", x, "gone-late", "instance-0000aa01",
                    "cmp-l1", null, new Deletion(DeletionState.SOFT_DELETED, deleted, deleted.plus(Duration.ofHours(1))))));
            // w: soft-deleted a minute ago, still restorable: not a leftover
            kafka.publish(EventEnvelope.create(URI.create("/t"), server("os-l", w, "restorable", "instance-0000aa04",
                    "cmp-l1", null, new Deletion(DeletionState.SOFT_DELETED, Instant.now().minusSeconds(60),
                    Instant.now().plus(Duration.ofHours(1))))));
            kafka.publish(EventEnvelope.create(URI.create("/t"), server("os-l", y, "alive", "instance-0000aa02",
                    "cmp-l1", null, Deletion.NONE)));
            kafka.publish(EventEnvelope.create(URI.create("/t"), server("os-l", z, "deleted", "instance-0000aa03",
                    "cmp-l1", null, Deletion.NONE)));
            kafka.send(new ProducerRecord<>(Topic.INVENTORY_VMS.topicName(), "os-l/" + z, null));   // tombstone
        }
        String listing = String.join("\n", x + " instance-0000aa01 shut-off", y + " instance-0000aa02 running",
                z + " instance-0000aa03 shut-off", w + " instance-0000aa04 shut-off",
                UUID.randomUUID() + " not-ours running", "");
        given().auth().preemptive().basic("agent", "agent").contentType(ContentType.TEXT).body(listing)
                .put("/api/v1/hypervisors/cmp-l1/domains").then().statusCode(200);
        // The inventory's states and the tombstone arrive through Kafka: the report converges on them.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(leftovers())
                .extracting(l -> l.get("domainName")).containsExactlyInAnyOrder("instance-0000aa01",
                        "instance-0000aa03"));
        List<Map<String, Object>> leftovers = leftovers();
        Map<String, Object> late = leftovers.stream().filter(l -> "instance-0000aa01".equals(l.get("domainName")))
                .findFirst().orElseThrow();
        assertThat(late.get("novaState")).isEqualTo("soft_deleted");
        assertThat((String) late.get("reason")).startsWith("soft-deleted and past its reclaim time");
        assertThat(((Number) late.get("ageSeconds")).longValue()).isBetween(3 * 3600L - 60, 3 * 3600L + 60);
        assertThat(leftovers.stream().filter(l -> "instance-0000aa03".equals(l.get("domainName"))).findFirst()
                .orElseThrow().get("novaState")).isEqualTo("deleted");
        given().auth().preemptive().basic("agent", "agent").contentType(ContentType.TEXT).body("a b c d e")
                .put("/api/v1/hypervisors/cmp-l1/domains").then().statusCode(400)
                .contentType("application/problem+json");
    }

    private static List<Map<String, Object>> leftovers() {
        return given().auth().preemptive().basic("viewer", "viewer").queryParam("hypervisor", "cmp-l1")
                .get("/api/v1/hypervisors/leftovers").then().statusCode(200).extract().jsonPath().getList("");
    }
}
