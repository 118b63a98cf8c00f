package io.lifeboat.simulator.ovirt;

import java.util.Collection;

/**
 * The engine's memory filter for running a VM on a host (ovirt-engine {@code MemoryPolicyUnit},
 * {@code SlaValidator.hasOvercommitMemoryToRunVM}, {@code VmOverheadCalculatorImpl}; research failover-plan 3.3): a VM
 * needs its memory, the static overhead (x86: {@code memory/512 + 64} MiB) and 8 MiB per vCPU; a host offers its
 * {@code max_scheduling_memory}: physical memory × the cluster's over-commit percent, less what its running VMs commit,
 * less VDSM's reserved memory and guest overhead. The engine's cluster policies spread: the host with the most of it
 * wins ({@code EvenDistributionMemoryWeightPolicyUnit}).
 */
public final class EngineMemory {

    /** VDSM's reserved memory: {@code host_mem_reserve} 256 MiB + {@code extra_mem_reserve} 65 MiB. */
    public static final long RESERVED_MB = 321;
    /** The guest overhead VDSM reports (65 MiB), counted in the host's committed memory. */
    public static final long GUEST_OVERHEAD_MB = 65;
    /** The cluster's {@code memory_policy.over_commit.percent}: the engine's default, 100. */
    public static final int OVER_COMMIT_PERCENT = 100;

    private EngineMemory() {
    }

    public static int vcpus(OvVm vm) {
        return vm.sockets * vm.cores * vm.threads;
    }

    /** {@code getTotalRequiredMemWithoutHugePagesMb} without video RAM and I/O threads (none here). */
    public static long requiredMb(OvVm vm) {
        long mem = vm.memoryBytes >> 20;
        return mem + mem / 512 + 64 + 8L * vcpus(vm);
    }

    /** The host's {@code max_scheduling_memory} in MiB, with these VMs running on it. */
    public static long maxSchedulingMb(OvHost h, Collection<OvVm> running) {
        long committed = GUEST_OVERHEAD_MB + running.stream().mapToLong(EngineMemory::requiredMb).sum();
        return Math.max(0, (h.memoryBytes >> 20) * OVER_COMMIT_PERCENT / 100 - committed - RESERVED_MB);
    }
}
