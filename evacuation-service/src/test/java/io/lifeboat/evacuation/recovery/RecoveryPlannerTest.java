package io.lifeboat.evacuation.recovery;

import io.lifeboat.common.recovery.MoveState;
import io.lifeboat.evacuation.config.EvacuationConfig;
import io.lifeboat.evacuation.view.VmView;
import io.lifeboat.evacuation.platform.openstack.NovaApi;
import io.lifeboat.evacuation.platform.ovirt.OvirtApi;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The planner's decisions alone, without a cloud: which instances move, in which order, and why others stay. */
class RecoveryPlannerTest {

    private static NovaApi.Server server(String id, String name, String vmState, String taskState,
                                         Map<String, String> metadata, Map<String, String> extraSpecs) {
        return new NovaApi.Server(id, name, "cmp-a01", "ACTIVE", vmState, taskState, metadata, List.of(),
                extraSpecs, null, NovaApi.Flavor.UNKNOWN, null);
    }

    /** The rule's verdicts with nothing but the servers themselves (no image properties). */
    private static java.util.function.Function<NovaApi.Server, EvacuableRule.Verdict> rule(
            EvacuationConfig.EvacuablePolicy policy, boolean sourceMarked) {
        EvacuableRule.SourceMarkers markers = sourceMarked
                ? new EvacuableRule.SourceMarkers(true, "server other: server tag evacuable")
                : EvacuableRule.SourceMarkers.NONE;
        return s -> new EvacuableRule("HA_Enabled").decide(s, Map.of(), markers, policy);
    }

    @Test
    void taggedModeSkipsUntaggedSoftDeletedAndOptedOutAndOrdersByPriority() {
        List<NovaApi.Server> servers = List.of(
                server("1", "low", "active", null, Map.of("ha", "true", "ha_priority", "10"), Map.of()),
                server("2", "high", "active", null, Map.of("ha", "true", "ha_priority", "90"), Map.of()),
                server("3", "untagged", "active", null, Map.of(), Map.of()),
                server("4", "deleted", "soft-delete", null, Map.of("ha", "true"), Map.of()),
                server("5", "opted-out", "active", null, Map.of("evacuable", "false"), Map.of("evacuable", "true")),
                server("6", "flavor-tagged", "stopped", null, Map.of(), Map.of("evacuable", "true")),
                server("7", "paused", "paused", null, Map.of("ha", "yes"), Map.of()),
                server("8", "busy", "active", "powering-off", Map.of("ha", "1"), Map.of()));
        List<PlannedMove> plan = RecoveryPlanner.openstack("os", servers, Map.of(),
                rule(EvacuationConfig.EvacuablePolicy.TAGGED, false), 53, null);

        assertThat(plan).extracting(PlannedMove::vmName).containsExactly("high", "low", "busy", "deleted",
                "flavor-tagged", "opted-out", "paused", "untagged");
        Map<String, PlannedMove> by = new LinkedHashMap<>();
        plan.forEach(p -> by.put(p.vmName(), p));
        assertThat(by.get("untagged").state()).isEqualTo(MoveState.SKIPPED);
        assertThat(by.get("untagged").reason()).startsWith("not tagged evacuable");
        assertThat(by.get("deleted").reason()).startsWith("soft-deleted");
        assertThat(by.get("opted-out").reason()).isEqualTo("opted out: server metadata evacuable=false");
        assertThat(by.get("flavor-tagged").state()).isEqualTo(MoveState.PENDING);
        assertThat(by.get("flavor-tagged").stopAfter()).isTrue();
        assertThat(by.get("flavor-tagged").resetFirst()).isFalse();
        // evacuate refuses paused instances and any with a task in progress: reset to error first (as Masakari)
        assertThat(by.get("paused").resetFirst()).isTrue();
        assertThat(by.get("busy").resetFirst()).isTrue();
        assertThat(by.get("busy").reason()).contains("task_state powering-off");
        assertThat(by.get("high").resetFirst()).isFalse();
        assertThat(by.get("high").startAfter()).isFalse();
    }

    /** An operator coming from Masakari keeps their marking: HA_Enabled=True tags, HA_Enabled=False opts out. */
    @Test
    void masakariHaEnabledMetadataTagsAndOptsOut() {
        List<NovaApi.Server> servers = List.of(
                server("1", "masakari-on", "active", null, Map.of("HA_Enabled", "True"), Map.of()),
                server("2", "masakari-off", "active", null, Map.of("HA_Enabled", "False"), Map.of("evacuable", "true")),
                server("3", "unmarked", "active", null, Map.of(), Map.of()));
        Map<String, PlannedMove> by = new LinkedHashMap<>();
        RecoveryPlanner.openstack("os", servers, Map.of(), rule(EvacuationConfig.EvacuablePolicy.AUTO, true), 53, null)
                .forEach(p -> by.put(p.vmName(), p));
        assertThat(by.get("masakari-on").state()).isEqualTo(MoveState.PENDING);
        assertThat(by.get("masakari-off").state()).isEqualTo(MoveState.SKIPPED);
        assertThat(by.get("masakari-off").reason()).isEqualTo("opted out: server metadata HA_Enabled=False");
        assertThat(by.get("unmarked").state()).isEqualTo(MoveState.SKIPPED);
    }

    @Test
    void autoModeEvacuatesEverythingWhenNothingIsTaggedAndStartsAgainFrom295() {
        List<NovaApi.Server> servers = List.of(
                server("1", "a", "active", null, Map.of(), Map.of()),
                server("2", "b", "stopped", null, Map.of(), Map.of()));
        List<PlannedMove> plan = RecoveryPlanner.openstack("os", servers, Map.of(),
                rule(EvacuationConfig.EvacuablePolicy.AUTO, false), 95, "cmp-b01");
        assertThat(plan).allMatch(p -> p.state() == MoveState.PENDING && "cmp-b01".equals(p.requestedTarget()));
        assertThat(plan.get(0).startAfter()).isTrue();    // active: 2.95 leaves it stopped, so start it
        assertThat(plan.get(1).startAfter()).isFalse();   // stopped: stays stopped
        // the same instances, when another instance of the source is tagged: both skipped
        assertThat(RecoveryPlanner.openstack("os", servers, Map.of(), rule(EvacuationConfig.EvacuablePolicy.AUTO, true),
                53, null)).allMatch(p -> p.state() == MoveState.SKIPPED);
    }

    @Test
    void ovirtLeavesEngineRestartedAndAlreadyDownVmsAloneAndWaitsForTheEngineWithHaVms() {
        Instant failedAt = Instant.parse("2026-11-21T10:00:00Z");
        Map<VmView, Optional<OvirtApi.Vm>> c = new LinkedHashMap<>();
        c.put(view("ha", true, 50, null), Optional.of(new OvirtApi.Vm("ha", "ha", "up", null, "h2", "cl", true, 50)));
        c.put(view("ha2", true, 80, null), Optional.of(new OvirtApi.Vm("ha2", "ha2", "down", null, null, "cl", true,
                80)));
        c.put(view("plain", false, 0, failedAt.plusSeconds(30)), Optional.of(new OvirtApi.Vm("plain", "plain", "down",
                null, null, "cl", false, 0)));
        c.put(view("old", false, 0, failedAt.minus(Duration.ofDays(2))), Optional.of(new OvirtApi.Vm("old", "old",
                "down", null, null, "cl", false, 0)));
        c.put(view("gone", false, 0, null), Optional.empty());
        Instant haNotBefore = failedAt.plusSeconds(60);
        List<PlannedMove> plan = RecoveryPlanner.ovirt("ov", "h1", c, Map.of("h2", "hv-02"), failedAt, haNotBefore,
                null);
        Map<String, PlannedMove> by = new LinkedHashMap<>();
        plan.forEach(p -> by.put(p.vmId(), p));
        assertThat(by.get("ha").state()).isEqualTo(MoveState.SKIPPED);
        assertThat(by.get("ha").reason()).isEqualTo("already running on hv-02 (restarted by the engine)");
        assertThat(by.get("ha2").state()).isEqualTo(MoveState.PENDING);
        assertThat(by.get("ha2").notBefore()).isEqualTo(haNotBefore);
        assertThat(by.get("plain").state()).isEqualTo(MoveState.PENDING);
        assertThat(by.get("plain").notBefore()).isNull();
        assertThat(by.get("old").state()).isEqualTo(MoveState.SKIPPED);
        assertThat(by.get("old").reason()).startsWith("was already down before the host failed");
        assertThat(by.get("gone").reason()).isEqualTo("the engine no longer has this VM");
        assertThat(plan.get(0).vmId()).isEqualTo("ha2");   // HA first
    }

    private static VmView view(String id, boolean ha, int priority, Instant downSince) {
        VmView v = new VmView();
        v.vmKey = "ov/" + id;
        v.vmId = id;
        v.name = id;
        v.haEnabled = ha;
        v.haPriority = priority;
        v.downSince = downSince;
        v.status = "DOWN";
        return v;
    }
}
