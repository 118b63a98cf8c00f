package io.lifeboat.evacuation.recovery;

import io.lifeboat.common.recovery.MoveState;
import io.lifeboat.evacuation.view.VmView;
import io.lifeboat.evacuation.platform.openstack.NovaApi;
import io.lifeboat.evacuation.platform.ovirt.OvirtApi;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Decides, from what the cloud shows now and what the inventory knew before the failure, which instances a run moves,
 * in which order, and why the others are left alone. Pure decisions: the callers read the clouds.
 */
public final class RecoveryPlanner {

    /** Nova evacuates only these vm_states with no task in progress (wire-formats.md A.1, check 4). */
    private static final Set<String> EVACUABLE_VM_STATES = Set.of("active", "stopped", "error");
    /** oVirt VM statuses that mean "running somewhere" (the engine restarted it, or it never stopped). */
    private static final Set<String> OVIRT_RUNNING = Set.of("up", "powering_up", "wait_for_launch", "migrating",
            "reboot_in_progress", "restoring_state", "paused");
    /** A VM that went down within this long before the first failure signal went down with its host. */
    static final Duration DOWN_WITH_HOST_SLACK = Duration.ofMinutes(2);

    private RecoveryPlanner() {
    }

    // ------------------------------------------------------------------ OpenStack

    /**
     * @param servers  the servers Nova shows on the failed host
     * @param views    the inventory's VMs of the source, by VM id: only for a priority Nova does not show
     * @param verdicts each server's evacuable verdict ({@link EvacuableRule}, from the cloud)
     */
    public static List<PlannedMove> openstack(String sourceId, List<NovaApi.Server> servers, Map<String, VmView> views,
                                              Function<NovaApi.Server, EvacuableRule.Verdict> verdicts,
                                              int microversion, String targetHost) {
        List<PlannedMove> out = new ArrayList<>();
        for (NovaApi.Server s : servers) {
            VmView view = views.get(s.id());
            String key = sourceId + "/" + s.id();
            int priority = s.metadata().containsKey("ha_priority") || view == null
                    ? parseInt(s.metadata().get("ha_priority")) : view.haPriority;
            String state = s.vmState() == null ? "unknown" : s.vmState();
            if ("soft-delete".equals(state)) {
                out.add(PlannedMove.skip(key, s.id(), s.name(), state, priority, "soft-deleted (Nova deferred delete):"
                        + " not evacuated; restore it first if it is still needed"));
                continue;
            }
            if ("deleted".equals(state)) {
                out.add(PlannedMove.skip(key, s.id(), s.name(), state, priority, "deleted"));
                continue;
            }
            EvacuableRule.Verdict v = verdicts.apply(s);
            if (!v.evacuable()) {
                out.add(PlannedMove.skip(key, s.id(), s.name(), state, priority, v.rule() + ": " + v.fact()));
            } else {
                PlannedMove m = evacuation(key, s, priority, microversion, targetHost);
                out.add(new PlannedMove(m.vmKey(), m.vmId(), m.vmName(), m.action(), m.state(), m.priority(),
                        m.originalState(), m.resetFirst(), m.stopAfter(), m.startAfter(), m.requestedTarget(),
                        m.notBefore(), "evacuable: " + v.describe() + (m.reason() == null ? "" : "; " + m.reason())));
            }
        }
        return ordered(out);
    }

    /**
     * The evacuation of one server: reset to error first when evacuate refuses its state (as Masakari does), stopped
     * again afterwards when it was stopped, started again from 2.95 (where evacuated instances end stopped).
     */
    public static PlannedMove evacuation(String key, NovaApi.Server s, int priority, int microversion,
                                         String targetHost) {
        String state = s.vmState() == null ? "unknown" : s.vmState();
        boolean reset = !EVACUABLE_VM_STATES.contains(state) || s.taskState() != null;
        return new PlannedMove(key, s.id(), s.name(), InstanceMove.EVACUATE, MoveState.PENDING, priority, state,
                reset, "stopped".equals(state), microversion >= 95 && !"stopped".equals(state), targetHost, null,
                reset ? "vm_state " + state + (s.taskState() == null ? "" : ", task_state " + s.taskState())
                        + ": reset to error first, as evacuate refuses it" : null);
    }

    // ------------------------------------------------------------------ oVirt

    /**
     * @param candidates  the VMs the inventory last saw on the failed host, by id, with what the engine shows now
     * @param firstSignal when the host was first seen failing
     * @param haNotBefore HA VMs are left to the engine's own restart until then
     */
    public static List<PlannedMove> ovirt(String sourceId, String failedHostId, Map<VmView, Optional<OvirtApi.Vm>>
            candidates, Map<String, String> hostNames, Instant firstSignal, Instant haNotBefore, String targetHost) {
        List<PlannedMove> out = new ArrayList<>();
        for (Map.Entry<VmView, Optional<OvirtApi.Vm>> c : candidates.entrySet()) {
            VmView view = c.getKey();
            String key = sourceId + "/" + view.vmId;
            if (c.getValue().isEmpty()) {
                out.add(PlannedMove.skip(key, view.vmId, view.name, view.status, view.haPriority,
                        "the engine no longer has this VM"));
                continue;
            }
            OvirtApi.Vm vm = c.getValue().get();
            int priority = vm.ha() ? vm.haPriority() : view.haPriority;
            boolean wasDownBefore = view.downSince != null && view.downSince.isBefore(firstSignal.minus(
                    DOWN_WITH_HOST_SLACK)) && !failedHostId.equals(vm.hostId());
            if (OVIRT_RUNNING.contains(vm.status()) && vm.hostId() != null && !vm.hostId().equals(failedHostId)) {
                out.add(PlannedMove.skip(key, vm.id(), vm.name(), vm.status(), priority, "already running on "
                        + hostNames.getOrDefault(vm.hostId(), vm.hostId()) + (vm.ha() ? " (restarted by the engine)"
                        : "")));
            } else if (wasDownBefore) {
                out.add(PlannedMove.skip(key, vm.id(), vm.name(), vm.status(), priority, "was already down before the"
                        + " host failed (down since " + view.downSince + ")"));
            } else {
                out.add(new PlannedMove(key, vm.id(), vm.name(), InstanceMove.START, MoveState.PENDING, priority,
                        vm.status(), false, false, false, targetHost, vm.ha() ? haNotBefore : null,
                        vm.ha() ? "HA VM: left to the engine's own restart until " + haNotBefore : null));
            }
        }
        // HA VMs first (they carry the engine's wait), by priority as the engine orders them, then the rest.
        out.sort(Comparator.comparingInt((PlannedMove m) -> m.notBefore() == null ? 1 : 0)
                .thenComparing(Comparator.comparingInt(PlannedMove::priority).reversed())
                .thenComparing(PlannedMove::vmName));
        return out;
    }

    // ------------------------------------------------------------------ shared

    /** Priority first (higher first), then name: the order instances are moved in. */
    static List<PlannedMove> ordered(List<PlannedMove> moves) {
        List<PlannedMove> l = new ArrayList<>(moves);
        l.sort(Comparator.comparingInt(PlannedMove::priority).reversed().thenComparing(PlannedMove::vmName));
        return l;
    }

    private static int parseInt(String v) {
        try {
            return v == null ? 0 : Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
