package io.lifeboat.simulator.ovirt;

/**
 * A simulated oVirt host. {@code status} is what the engine reports (HostStatus in lower case, wire-formats.md D.4);
 * {@code poweredOn}, {@code storageReachable} and {@code networkReachable} are the ground truth behind it.
 */
public final class OvHost {
    public final String id;
    public final String name;
    /** The engine's host address: a host name, or a loopback address with a management network. */
    public volatile String address;
    public final String clusterId;
    public final String sanHostName;
    public final int cpuCores;
    /** Physical memory; a test may resize it. */
    public volatile long memoryBytes;
    public boolean powerManagementEnabled;

    public String status = "up";
    public String statusDetail;

    public boolean poweredOn = true;
    public boolean storageReachable = true;
    public boolean networkReachable = true;
    /** Whether the host's BMC has power: not after a total power loss (host and BMC), so nothing can fence it. */
    public boolean bmcPowered = true;
    /** Since when the engine has been unable to reach the host (its Connecting grace), null when it can. */
    public java.time.Instant connectingSince;
    /** Until when the host reboots after a power management restart, null when it does not. */
    public java.time.Instant rebootUntil;

    public OvHost(String id, String name, String address, String clusterId, String sanHostName, int cpuCores,
                  long memoryBytes, boolean powerManagementEnabled) {
        this.id = id;
        this.name = name;
        this.address = address;
        this.clusterId = clusterId;
        this.sanHostName = sanHostName;
        this.cpuCores = cpuCores;
        this.memoryBytes = memoryBytes;
        this.powerManagementEnabled = powerManagementEnabled;
    }

    /** Whether VMs can run here right now, as the engine sees it. */
    public boolean schedulable() {
        return "up".equals(status);
    }
}
