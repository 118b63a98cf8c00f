package io.lifeboat.simulator.world;

import io.lifeboat.simulator.topology.TopologySpec;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The simulator's configuration ({@code simulator.*}). */
@ConfigMapping(prefix = "simulator")
public interface SimulatorConfig {

    /** The topology generated at start; {@code POST /sim/v1/topology} replaces it at run time. */
    Topology topology();

    Ovirt ovirt();

    OpenStack openstack();

    Redfish redfish();

    /** The hypervisors' libvirt side: guest events and domain listings, pushed as an agent on each host would. */
    Libvirt libvirt();

    /** The control API ({@code /sim/v1}). */
    Control control();

    /** The hosts' management network, for reachability probes. */
    Management management();

    interface Management {
        /**
         * A TCP port each powered, reachable host listens on at its own loopback address (as libvirt's 16509 or vdsm's
         * 54321 on a real host); its address is the host's {@code address} (oVirt) or {@code host_ip} (Nova). A power
         * loss or a network partition closes it; the host's recovery reopens it. Unset: no listeners, and the
         * addresses are names (oVirt) and documentation addresses (Nova).
         */
        java.util.OptionalInt port();

        /** The second octet of the hosts' addresses ({@code 127.<octet>.x.y}); unset: chosen at random at start. */
        java.util.OptionalInt octet();
    }

    interface Control {
        /** When set, every request that changes the simulated world needs {@code Authorization: Bearer <token>}. */
        java.util.Optional<String> token();
    }

    interface Libvirt {
        /**
         * Where each simulated hypervisor's agent sends its events and domain listings: a watchdog-service base URL
         * (e.g. {@code http://localhost:8084}). Unset: kept in the simulator, readable through the control API.
         */
        java.util.Optional<String> sinkUrl();

        @WithDefault("agent")
        String sinkUsername();

        @WithDefault("agent")
        String sinkPassword();

        /** How often each hypervisor's domain listing is pushed. */
        @WithDefault("30s")
        java.time.Duration listingInterval();
    }

    interface Redfish {
        /** The user every simulated BMC accepts (HTTP basic auth). */
        @WithDefault("admin")
        String username();

        /** Its password. */
        @WithDefault("lifeboat")
        String password();

        /**
         * How long a BMC keeps reporting the old {@code PowerState} after the power changed (BMCs poll their sensors;
         * a fencer that reads at the wrong moment sees On for a host already off). Changed at run time with
         * {@code PUT /sim/v1/redfish}.
         */
        @WithDefault("0s")
        java.time.Duration powerStateLag();

        /**
         * The status a BMC answers to {@code ForceOff} or {@code GracefulShutdown} of a chassis already off: 409 as
         * many BMCs do (some answer 400), or 204 for one that takes it as done.
         */
        @WithDefault("409")
        int resetWhenOff();
    }

    interface Topology {
        /** Seed of the generator: the same seed and sizes give the same clouds. */
        @WithDefault("42")
        long seed();

        /** Number of oVirt engines (sources ovirt-1, ovirt-2, ...). */
        @WithDefault("1")
        int ovirtEngines();

        /** Number of OpenStack regions (sources openstack-1, ...). */
        @WithDefault("1")
        int openstackRegions();

        /** Clusters per engine / availability zones per region. */
        @WithDefault("1")
        int clustersPerSource();

        /** Hosts per cluster or zone. */
        @WithDefault("5")
        int hostsPerCluster();

        /** VMs per host. */
        @WithDefault("10")
        int vmsPerHost();

        /** Disks per VM (one boot disk, the rest data disks). */
        @WithDefault("3")
        int disksPerVm();

        /** Share of oVirt data disks that are direct LUNs. */
        @WithDefault("0.5")
        double directLunFraction();

        /** Share of direct LUNs shared with a VM on another host. */
        @WithDefault("0.1")
        double sharedLunFraction();

        /** FC block storage domains per oVirt engine. */
        @WithDefault("1")
        int blockDomainsPerEngine();

        /** Share of VMs that are highly available. */
        @WithDefault("0.3")
        double haFraction();

        /** Share of oVirt VMs pinned to their host. */
        @WithDefault("0.1")
        double pinnedFraction();

        /** Share of VMs with a watchdog device. */
        @WithDefault("0.4")
        double watchdogFraction();

        /** Share of OpenStack servers that are soft-deleted. */
        @WithDefault("0.1")
        double softDeletedFraction();

        /** Share of VMs that are down / SHUTOFF. */
        @WithDefault("0.1")
        double downFraction();

        /**
         * Share of VMs, servers and volumes in the untidy states real clouds also hold (ERROR never scheduled,
         * SHELVED_OFFLOADED, image_locked, a connecting or kdumping host...; see TopologySpec). The local stack sets
         * it; 0 keeps the tidy topology the other tests count on.
         */
        @WithDefault("0")
        double untidyFraction();

        default TopologySpec toSpec() {
            return new TopologySpec(seed(), ovirtEngines(), openstackRegions(), clustersPerSource(),
                    hostsPerCluster(), vmsPerHost(), disksPerVm(), directLunFraction(), sharedLunFraction(),
                    blockDomainsPerEngine(), haFraction(), pinnedFraction(), watchdogFraction(),
                    softDeletedFraction(), downFraction(), untidyFraction());
        }
    }

    interface Ovirt {
        /** The user the SSO accepts (oVirt form: user@domain). */
        @WithDefault("admin@internal")
        String username();

        /** Its password. */
        @WithDefault("lifeboat")
        String password();

        /**
         * The clusters' fencing policy: the engine fences a host with power management that stops answering itself
         * (after {@code fence-grace}: non-responsive, then a power management restart; its HA VMs restarted elsewhere),
         * as a real engine does by default. Changed at run time with {@code PUT /sim/v1/sources/{id}/settings}.
         */
        @WithDefault("true")
        boolean engineFencing();

        /**
         * How long a host that stops answering stays {@code connecting} before it is non-responsive (the engine's
         * TimeoutToResetVdsInSeconds, 60 s; more for the SPM and per VM on a real engine). 0: non-responsive at once.
         */
        @WithDefault("60s")
        Duration fenceGrace();

        /** How long a host restarted through power management takes to boot ({@code reboot}, then up). */
        @WithDefault("60s")
        Duration rebootTime();
    }

    interface OpenStack {
        /** The Keystone user with the admin role. */
        @WithDefault("admin")
        String username();

        /** Its password. */
        @WithDefault("lifeboat")
        String password();

        /** Project the admin token is scoped to. */
        @WithDefault("admin")
        String project();

        /**
         * Nova's {@code service_down_time}: a compute service that has not reported for this long is down (real
         * default 60 s; wire-formats.md A.1 step 5).
         */
        @WithDefault("60s")
        Duration serviceDownTime();

        /** How long an accepted evacuation stays in REBUILD before the server is ACTIVE on its new host. */
        @WithDefault("2s")
        Duration evacuationDuration();

        /** {@code reclaim_instance_interval}: how long a soft-deleted server stays restorable (0 = no soft delete). */
        @WithDefault("1h")
        Duration reclaimInterval();

        /** The highest compute microversion served (Nova's current maximum is 2.104). */
        @WithDefault("2.96")
        String maxMicroversion();
    }
}
