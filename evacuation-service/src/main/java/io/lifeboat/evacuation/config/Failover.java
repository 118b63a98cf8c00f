package io.lifeboat.evacuation.config;

import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * The failover plan: "if this host failed now, where would each of its instances go, and which would not fit",
 * computed for every host from Nova's hypervisors (the capacity and what is used of it), its servers' flavors, the
 * reserved hosts and the evacuable rule, as Nova's scheduler and placement would decide (one call for the
 * hypervisors, the servers' pages).
 */
public interface Failover {
    @WithDefault("true")
    boolean enabled();

    /** How often the plans of a source are computed again. */
    @WithDefault("60s")
    Duration interval();

    /**
     * nova.conf's {@code cpu_allocation_ratio} (Nova's {@code initial_cpu_allocation_ratio} default since 2023.1:
     * 4.0). The hypervisor API does not carry the ratios; set them as the computes have them.
     */
    @WithDefault("4.0")
    double cpuAllocationRatio();

    /** nova.conf's {@code ram_allocation_ratio} (default since 2023.1: 1.0). */
    @WithDefault("1.0")
    double ramAllocationRatio();

    /** nova.conf's {@code reserved_host_memory_mb} (default 512): counted in the hypervisors' used memory. */
    @WithDefault("512")
    int reservedHostMemoryMb();
}
