package io.lifeboat.mapping;

import io.lifeboat.common.envelope.CloudEventsKafka;
import io.lifeboat.common.envelope.EventEnvelope;
import io.lifeboat.common.failure.HostFailureChanged;
import io.lifeboat.common.failure.HostFailurePhase;
import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.id.SourceId;
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
import io.lifeboat.common.inventory.VmDisk;
import io.lifeboat.common.inventory.VmState;
import io.lifeboat.common.inventory.VmStatus;
import io.lifeboat.common.lun.LunWwid;
import io.lifeboat.common.plan.PlanBasis;
import io.lifeboat.common.plan.UnmapDecision;
import io.lifeboat.common.plan.UnmapPlan;
import io.lifeboat.common.plan.UnmapPlanEntry;
import io.lifeboat.common.id.SourceKind;
import io.lifeboat.common.topic.Topic;
import io.lifeboat.testsupport.KafkaTestClient;
import io.lifeboat.testsupport.LifeboatInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A host that was already failed when Lifeboat first saw it, through the real broker and PostgreSQL: the states are
 * published as one full collection cycle stamps them (host and VMs at the same instant), then the evacuation-service's
 * lifecycle events. The plan at confirmation lists every LUN of the VMs of that first observation (before, it was
 * empty: nothing was known "just before" it); the plan at the recovery's end, after two of the three VMs moved, differs
 * from it by exactly the LUNs that became safe to unmap. Expectations come from the states published here.
 */
@QuarkusTest
@QuarkusTestResource(LifeboatInfra.class)
class FirstObservationPlanFlowTest {

    private static final URI SOURCE = URI.create("/lifeboat/collector/test");
    private static final SourceId SRC = SourceId.of("ovirt-first");
    private static final HostKey HOST = HostKey.of(SRC, "6a1f0000-0000-4000-8000-00000000f1f1");
    private static final HostKey OTHER = HostKey.of(SRC, "6a1f0000-0000-4000-8000-00000000f2f2");
    private static final Instant T = Instant.parse("2026-12-03T09:00:00.123456Z");
    private static final LunWwid L1 = wwid(0xf10001);
    private static final LunWwid L2 = wwid(0xf10002);
    private static final LunWwid L3 = wwid(0xf10003);
    private static final LunWwid L4 = wwid(0xf10004);
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
    void aHostFirstSeenFailedGetsTheFullPlanAndTheRecoveryShowsWhatBecameUnmappable() throws Exception {
        UUID episode = UUID.randomUUID();
        // The first observation: the host is non-responsive, its VMs unknown on it (not fenced). vm1 and vm3 share L2.
        kafka.publish(EventEnvelope.create(SOURCE, new HostState(HOST, SourceKind.OVIRT, "hv-first", CLUSTER,
                HostStatus.NON_RESPONSIVE, "non_responsive", null, null, null, true, null, T)));
        kafka.publish(EventEnvelope.create(SOURCE, vm("vm1", HOST, VmStatus.UNKNOWN, T, L1, L2)));
        kafka.publish(EventEnvelope.create(SOURCE, vm("vm2", HOST, VmStatus.UNKNOWN, T, L3)));
        kafka.publish(EventEnvelope.create(SOURCE, vm("vm3", HOST, VmStatus.UNKNOWN, T, L4, L2)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(given().get("/api/v1/hosts/" + SRC + "/" + HOST.hostId() + "/vms").then().statusCode(200)
                    .extract().jsonPath().getList("vmKey")).hasSize(3);
            // The host's own state travels on another topic: the plan's basis needs it.
            assertThat(given().get("/api/v1/hosts/" + SRC + "/" + HOST.hostId() + "/history").then()
                    .statusCode(200).extract().jsonPath().getString("[0].status")).isEqualTo("NON_RESPONSIVE");
        });

        kafka.publish(EventEnvelope.create(SOURCE, failure(episode, HostFailurePhase.CONFIRMED, T.plusSeconds(90))));
        UnmapPlan confirmed = awaitPlan("host-failure:" + episode);
        assertThat(confirmed.basis()).isEqualTo(PlanBasis.FIRST_OBSERVATION);
        assertThat(confirmed.asOf()).isEqualTo(T);
        assertThat(confirmed.comparison()).isNull();
        assertThat(decisions(confirmed)).isEqualTo(new TreeMap<>(Map.of(
                "vm1 " + L1, "IN_USE_ON_HOST", "vm1 " + L2, "IN_USE_ON_HOST", "vm2 " + L3, "IN_USE_ON_HOST",
                "vm3 " + L4, "IN_USE_ON_HOST", "vm3 " + L2, "IN_USE_ON_HOST")));

        // The engine fenced the host and restarted vm1 and vm2 elsewhere; vm3 is still unknown on it. The recovery's
        // end reaches the mapping-service before the collector has observed any of that: its plan waits for it.
        Instant recoveredAt = T.plusSeconds(200);
        kafka.publish(EventEnvelope.create(SOURCE, failure(episode, HostFailurePhase.PARTIALLY_RECOVERED,
                recoveredAt)));
        await().atMost(Duration.ofSeconds(30)).until(() -> pendingRecoveryPlans() == 1);
        Instant moved = recoveredAt.plusSeconds(30);
        kafka.publish(EventEnvelope.create(SOURCE, vm("vm1", OTHER, VmStatus.RUNNING, moved, L1, L2)));
        kafka.publish(EventEnvelope.create(SOURCE, vm("vm2", OTHER, VmStatus.RUNNING, moved, L3)));
        assertThat(plans().stream().filter(p -> p.trigger().equals("host-recovery:" + episode)))
                .as("no plan while vm3 has not been observed since the recovery ended").isEmpty();
        kafka.publish(EventEnvelope.create(SOURCE, vm("vm3", HOST, VmStatus.UNKNOWN, moved, L4, L2)));
        UnmapPlan recovered = awaitPlan("host-recovery:" + episode);
        assertThat(pendingRecoveryPlans()).isZero();
        assertThat(recovered.basis()).isEqualTo(PlanBasis.FIRST_OBSERVATION);
        assertThat(recovered.asOf()).isEqualTo(T);
        // L2 stays: vm3, still on the host, holds it too.
        assertThat(decisions(recovered)).isEqualTo(new TreeMap<>(Map.of(
                "vm1 " + L1, "UNMAP", "vm1 " + L2, "IN_USE_ON_HOST", "vm2 " + L3, "UNMAP",
                "vm3 " + L4, "IN_USE_ON_HOST", "vm3 " + L2, "IN_USE_ON_HOST")));
        assertThat(recovered.comparison()).isNotNull();
        assertThat(recovered.comparison().previousPlanId()).isEqualTo(confirmed.planId());
        assertThat(recovered.comparison().previousTrigger()).isEqualTo("host-failure:" + episode);
        assertThat(recovered.comparison().becameUnmap()).containsExactly(L1.toString(), L3.toString());
        assertThat(recovered.comparison().becameKept()).isEmpty();
        assertThat(recovered.comparison().inventoryCaughtUp()).isTrue();

        // The operator's playbook for the host (default as-of: its first, failed, observation) unmaps exactly those.
        String playbook = given().queryParam("format", "ansible")
                .get("/api/v1/hosts/" + SRC + "/" + HOST.hostId() + "/unmap-plan").then().statusCode(200)
                .contentType("application/yaml").extract().asString();
        assertThat(playbook.lines().filter(l -> l.strip().startsWith("volname: ")).map(l -> l.strip().substring(9).replace("'", "")))
                .containsExactlyInAnyOrder(L1.svcVdiskUid(), L3.svcVdiskUid());
        assertThat(playbook).contains("when Lifeboat first saw it, already failed, at " + T);
        given().queryParam("format", "ansible").queryParam("collection", "community.evil")
                .get("/api/v1/hosts/" + SRC + "/" + HOST.hostId() + "/unmap-plan").then().statusCode(400)
                .contentType("application/problem+json");
        given().queryParam("format", "svc").queryParam("collection", "ibm.storage_virtualize")
                .get("/api/v1/hosts/" + SRC + "/" + HOST.hostId() + "/unmap-plan").then().statusCode(400);

        // The recovery event again (a new event id, so past the inbox), then a later failure of the same host on the
        // same partition: once that one's plan is out, the repeat has been handled, and it made no second plan.
        kafka.publish(EventEnvelope.create(SOURCE, failure(episode, HostFailurePhase.PARTIALLY_RECOVERED,
                recoveredAt)));
        UUID later = UUID.randomUUID();
        kafka.publish(EventEnvelope.create(SOURCE, failure(later, HostFailurePhase.CONFIRMED, T.plusSeconds(900))));
        awaitPlan("host-failure:" + later);
        await().atMost(Duration.ofSeconds(30)).until(() -> pendingRecoveryPlans() == 0);
        assertThat(plans().stream().filter(p -> p.trigger().equals("host-recovery:" + episode))).hasSize(1);
    }

    private static final ClusterRef CLUSTER = new ClusterRef("c-first", "first");

    private static HostFailureChanged failure(UUID episode, HostFailurePhase phase, Instant at) {
        return new HostFailureChanged(episode, HOST, "hv-first", phase, null, T, at, "evacuation-service", null,
                null);
    }

    private static VmState vm(String id, HostKey host, VmStatus status, Instant at, LunWwid... luns) {
        List<VmDisk> disks = new java.util.ArrayList<>();
        for (int i = 0; i < luns.length; i++) {
            disks.add(new VmDisk(id + "-disk-" + i, id + "-data" + i, 107374182400L, "virtio_scsi",
                    DiskStorageType.LUN, null, i == 0, LunInfo.of(luns[i].toString(), "IBM", "2145",
                    "SIBM_" + id + i, 107374182400L)));
        }
        return new VmState(VmKey.of(SRC, id), SourceKind.OVIRT, id, CLUSTER,
                new HostRef(host, host.equals(HOST) ? "hv-first" : "hv-other"), status,
                status == VmStatus.UNKNOWN ? "unknown" : "up", null, List.of(), 8589934592L,
                new CpuTopology(2, 2, 1), disks, new HighAvailability(true, 50), null, "leave_paused", null,
                Deletion.NONE, Map.of(), List.of(), null, at);
    }

    private static int pendingRecoveryPlans() throws Exception {
        try (java.sql.Connection c = io.lifeboat.testsupport.TestInfrastructure.get().jdbc();
             java.sql.ResultSet rs = c.createStatement().executeQuery("select count(*) from"
                     + " mapping.pending_recovery_plan where host_key = '" + HOST + "'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static List<UnmapPlan> plans() {
        return kafka.readToEnd(Topic.UNMAP_PLANS.topicName()).stream()
                .map(r -> CloudEventsKafka.decode(r.headers(), r.value()).dataAs(UnmapPlan.class))
                .filter(p -> p.host().equals(HOST)).toList();
    }

    private static UnmapPlan awaitPlan(String trigger) {
        UnmapPlan[] found = new UnmapPlan[1];
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Optional<UnmapPlan> p = plans().stream().filter(x -> x.trigger().equals(trigger)).findFirst();
            assertThat(p).as("a plan published for " + trigger).isPresent();
            found[0] = p.get();
        });
        return found[0];
    }

    private static Map<String, String> decisions(UnmapPlan plan) {
        Map<String, String> out = new TreeMap<>();
        for (UnmapPlanEntry e : plan.entries()) {
            out.put(e.vm().vmId() + " " + e.wwid(), e.decision() == UnmapDecision.UNMAP ? "UNMAP"
                    : e.keepReason().name());
        }
        return out;
    }

    private static LunWwid wwid(int n) {
        return LunWwid.parse(String.format("3600507680c8081b2e8%014x", n));
    }
}
