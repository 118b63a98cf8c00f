package io.lifeboat.evacuation.config;

import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Independent evidence per host (DESIGN.md: detection): the BMC's {@code PowerState}, the management address's
 * TCP ports and, for OpenStack, the nova-compute heartbeat's age, each read every {@code interval}. A host is
 * suspected when the platform reports it down or when two of these agree that it is; that is what lets a power
 * loss be confirmed in seconds rather than after Nova's {@code service_down_time}.
 */
public interface Detection {
    /** Off: only the platform's view (the collector's host states) opens an episode. */
    @WithDefault("false")
    boolean enabled();

    /** How often every host of the source is probed. */
    @WithDefault("2s")
    Duration interval();

    /**
     * TCP ports on each host's management address (oVirt: the host's address; Nova: the hypervisor's
     * {@code host_ip}), e.g. 16509 (libvirt) or 54321 (vdsm): the host is unreachable when none accepts a
     * connection. Empty: no reachability probe.
     */
    Optional<List<Integer>> ports();

    /** How long one TCP connect may take. */
    @WithDefault("1s")
    Duration connectTimeout();

    /** Read the BMC's {@code PowerState} (needs {@code redfish.system-url}). */
    @WithDefault("true")
    boolean bmc();

    /** How long one {@code PowerState} read may take (BMCs are slow: seconds are normal). */
    @WithDefault("5s")
    Duration bmcTimeout();

    /**
     * OpenStack: a nova-compute heartbeat this much older than the source's newest one is evidence (measured
     * against Nova's own clock, so a skewed local clock does not matter). Nova reports every 10 s.
     */
    @WithDefault("25s")
    Duration heartbeatStale();
}
