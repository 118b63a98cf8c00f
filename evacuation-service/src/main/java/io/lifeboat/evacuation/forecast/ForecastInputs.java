package io.lifeboat.evacuation.forecast;

import io.lifeboat.common.recovery.MoveState;
import io.lifeboat.evacuation.config.EvacuationConfig;
import io.lifeboat.evacuation.platform.openstack.NovaApi;
import io.lifeboat.evacuation.platform.ovirt.OvirtApi;
import io.lifeboat.evacuation.recovery.PlannedMove;

import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The cloud's hosts and instances as {@link FailoverPlanner} takes them, for the plans of every host
 * ({@link FailoverForecasts}) and a run's prediction ({@link RunPredictions}) alike.
 */
final class ForecastInputs {

    private ForecastInputs() {
    }

    /** oVirt statuses of a VM that runs on its host (and so would go down with it). */
    static final Set<String> OVIRT_RUNNING = Set.of("up", "powering_up", "paused",
            "migrating", "reboot_in_progress", "restoring_state", "wait_for_launch", "not_responding", "unknown");

    /** The engine restarts the HA VMs first, by priority; Lifeboat then starts the others, by priority and name. */
    static final Comparator<OvirtApi.Vm> ENGINE_ORDER = Comparator
            .comparingInt((OvirtApi.Vm v) -> v.ha() ? 0 : 1)
            .thenComparing(Comparator.comparingInt(OvirtApi.Vm::haPriority).reversed())
            .thenComparing(OvirtApi.Vm::name);

    static FailoverPlanner.EngineVm engineVm(OvirtApi.Vm v) {
        return new FailoverPlanner.EngineVm(v.id(), v.name(), v.clusterId(), v.memoryMb(), v.vcpus(),
                v.pinnedHostIds() == null ? List.of() : v.pinnedHostIds());
    }

    static List<FailoverPlanner.EngineHost> engineHosts(List<OvirtApi.Host> hosts) {
        return hosts.stream().map(h -> new FailoverPlanner.EngineHost(h.id(), h.name(), h.clusterId(),
                "up".equals(h.status()), h.maxSchedulingMemoryMb())).toList();
    }

    static List<FailoverPlanner.Placement> place(String failedHost, List<PlannedMove> moves,
                                                         List<NovaApi.Server> servers,
                                                         List<FailoverPlanner.Compute> computes,
                                                         EvacuationConfig.Source src, FailoverPlanner.Ratios ratios) {
        Map<String, NovaApi.Flavor> flavors = new HashMap<>();
        servers.forEach(s -> flavors.put(s.id(), s.flavor() == null ? NovaApi.Flavor.UNKNOWN : s.flavor()));
        List<FailoverPlanner.Instance> instances = moves.stream().filter(m -> m.state() == MoveState.PENDING)
                .map(m -> {
                    NovaApi.Flavor f = flavors.getOrDefault(m.vmId(), NovaApi.Flavor.UNKNOWN);
                    return new FailoverPlanner.Instance(m.vmId(), m.vmName(), f.vcpus(), f.ramMb());
                }).toList();
        // An operator's target host (a run's or a move's) is the host of every attempt, and must be enabled already
        // (the run enables configured reserved hosts only).
        Optional<String> target = moves.stream().map(PlannedMove::requestedTarget).filter(t -> t != null).findFirst();
        if (target.isPresent()) {
            return FailoverPlanner.plan(failedHost, instances, computes, Collections.nCopies(
                    Math.max(1, src.maxAttempts()), target.get()), src.maxAttempts(), ratios, false);
        }
        return FailoverPlanner.plan(failedHost, instances, computes, src.reservedHosts().orElse(List.of()),
                src.maxAttempts(), ratios, true);
    }

    static List<FailoverPlanner.Compute> computes(List<NovaApi.Hypervisor> hypervisors) {
        return hypervisors.stream().filter(h -> h.host() != null)
                .map(h -> new FailoverPlanner.Compute(h.host(), "up".equals(h.state()), "enabled".equals(h.status()),
                        h.vcpus(), h.vcpusUsed(), h.memoryMb(), h.memoryMbUsed())).toList();
    }

    static FailoverPlanner.Ratios ratios(EvacuationConfig.Source src) {
        return new FailoverPlanner.Ratios(src.failover().cpuAllocationRatio(), src.failover().ramAllocationRatio(),
                src.failover().reservedHostMemoryMb());
    }
}
