package io.lifeboat.simulator.topology;

/**
 * What the seeded generator builds. The same spec and seed always give the same topology: ids, names, LUN WWIDs,
 * IPs and which VMs are HA, pinned, watchdog-equipped or soft-deleted.
 *
 * @param ovirtEngines          number of simulated oVirt engines (sources {@code ovirt-1}, {@code ovirt-2}, ...)
 * @param openstackRegions      number of simulated OpenStack regions (sources {@code openstack-1}, ...)
 * @param clustersPerSource     oVirt clusters per engine / availability zones per region
 * @param hostsPerCluster       hypervisor hosts per cluster or zone
 * @param vmsPerHost            VMs placed on each host
 * @param disksPerVm            disks per VM: one boot disk plus data disks
 * @param directLunFraction     share of oVirt data disks that are direct LUNs (the rest are images); every
 *                              OpenStack data disk is a Cinder volume on SVC with its WWN in {@code volume_wwn}
 * @param sharedLunFraction     share of direct LUNs also attached to a VM on another host
 * @param blockDomainsPerEngine block storage domains (FC) per oVirt engine, each on its own LUNs
 * @param haFraction            share of VMs with high availability (oVirt) / an HA marker in metadata (OpenStack)
 * @param pinnedFraction        share of oVirt VMs pinned to their host
 * @param watchdogFraction      share of VMs with a watchdog device (flavor extra spec or image property in OpenStack)
 * @param softDeletedFraction   share of OpenStack servers that are soft-deleted (restorable)
 * @param downFraction          share of VMs that are down / SHUTOFF
 * @param untidyFraction        share of VMs, servers and volumes put in the states real clouds also hold (Nova ERROR
 *                              never scheduled, BUILD, SHELVED_OFFLOADED, RESCUE, VERIFY_RESIZE, MIGRATING; volumes in
 *                              error or reserved; oVirt image_locked, migrating, not_responding, saving_state,
 *                              wait_for_launch, unknown), at least one of each when above 0; then each oVirt engine
 *                              also gets one extra host in each of installing, connecting, kdumping and
 *                              preparing_for_maintenance (absent from a JSON spec: 0)
 */
public record TopologySpec(long seed, int ovirtEngines, int openstackRegions, int clustersPerSource,
                           int hostsPerCluster, int vmsPerHost, int disksPerVm, double directLunFraction,
                           double sharedLunFraction, int blockDomainsPerEngine, double haFraction,
                           double pinnedFraction, double watchdogFraction, double softDeletedFraction,
                           double downFraction, double untidyFraction) {

    public TopologySpec {
        positive(ovirtEngines + openstackRegions, "ovirtEngines + openstackRegions");
        nonNegative(ovirtEngines, "ovirtEngines");
        nonNegative(openstackRegions, "openstackRegions");
        positive(clustersPerSource, "clustersPerSource");
        positive(hostsPerCluster, "hostsPerCluster");
        nonNegative(vmsPerHost, "vmsPerHost");
        positive(disksPerVm, "disksPerVm");
        nonNegative(blockDomainsPerEngine, "blockDomainsPerEngine");
        for (double f : new double[] {directLunFraction, sharedLunFraction, haFraction, pinnedFraction,
                watchdogFraction, softDeletedFraction, downFraction, untidyFraction}) {
            if (f < 0 || f > 1) {
                throw new IllegalArgumentException("fractions must be between 0 and 1, got " + f);
            }
        }
        if ((long) (ovirtEngines + openstackRegions) * clustersPerSource * hostsPerCluster > 5_000
                || (long) (ovirtEngines + openstackRegions) * clustersPerSource * hostsPerCluster * vmsPerHost
                > 100_000) {
            throw new IllegalArgumentException("topology too large: at most 5,000 hosts and 100,000 VMs");
        }
    }

    /** Without untidy states, as before they existed. */
    public TopologySpec(long seed, int ovirtEngines, int openstackRegions, int clustersPerSource, int hostsPerCluster,
                        int vmsPerHost, int disksPerVm, double directLunFraction, double sharedLunFraction,
                        int blockDomainsPerEngine, double haFraction, double pinnedFraction, double watchdogFraction,
                        double softDeletedFraction, double downFraction) {
        this(seed, ovirtEngines, openstackRegions, clustersPerSource, hostsPerCluster, vmsPerHost, disksPerVm,
                directLunFraction, sharedLunFraction, blockDomainsPerEngine, haFraction, pinnedFraction,
                watchdogFraction, softDeletedFraction, downFraction, 0);
    }

    /** The demo default: 2 sources, 10 hosts, 100 VMs. */
    public static TopologySpec demo() {
        return new TopologySpec(42, 1, 1, 1, 5, 10, 3, 0.5, 0.1, 1, 0.3, 0.1, 0.4, 0.1, 0.1);
    }

    /**
     * The scale target: 1,000 hosts, over 20,000 VMs and 60,000 disks (OpenStack reserved hosts, one per zone, stay
     * empty: 10,500 oVirt VMs + 10,290 servers).
     */
    public static TopologySpec scale() {
        return new TopologySpec(7, 2, 2, 5, 50, 21, 3, 0.5, 0.05, 2, 0.3, 0.1, 0.4, 0.05, 0.1);
    }

    public int hostsPerSource() {
        return clustersPerSource * hostsPerCluster;
    }

    private static void positive(int v, String name) {
        if (v < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + v);
        }
    }

    private static void nonNegative(int v, String name) {
        if (v < 0) {
            throw new IllegalArgumentException(name + " must not be negative, got " + v);
        }
    }
}
