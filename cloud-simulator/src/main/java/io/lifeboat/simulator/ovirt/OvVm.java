package io.lifeboat.simulator.ovirt;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A simulated oVirt VM. {@code hostId} is what the engine shows: set while running, kept for a DOWN VM only when it
 * is pinned (wire-formats.md D.3, peers.md); {@code lastHostId} is ground truth the engine does not expose.
 */
public final class OvVm {
    public final String id;
    public final String name;
    public final String clusterId;
    public final long memoryBytes;
    public final int sockets;
    public final int cores;
    public final int threads;
    public final boolean haEnabled;
    public final int haPriority;
    public final String affinity;                // migratable | user_migratable | pinned
    public final List<String> pinnedHostIds;
    public final String storageErrorResume;      // auto_resume | leave_paused | kill
    public final String watchdogModel;           // null when none
    public final String watchdogAction;
    public final List<OvDiskAttachment> disks = new ArrayList<>();
    public final List<OvNic> nics = new ArrayList<>();

    /** Virtual NUMA nodes defined for the guest ({@code vms/{id}/numanodes}); 0: none. */
    public int numaNodes;
    public String status;                        // VmStatus lower case
    public String statusDetail;                  // e.g. eio when paused by a storage error
    public String hostId;
    public String lastHostId;
    public Instant startTime;
    public Instant stopTime;
    public String stopReason;

    public OvVm(String id, String name, String clusterId, long memoryBytes, int sockets, int cores, int threads,
                boolean haEnabled, int haPriority, String affinity, List<String> pinnedHostIds,
                String storageErrorResume, String watchdogModel, String watchdogAction) {
        this.id = id;
        this.name = name;
        this.clusterId = clusterId;
        this.memoryBytes = memoryBytes;
        this.sockets = sockets;
        this.cores = cores;
        this.threads = threads;
        this.haEnabled = haEnabled;
        this.haPriority = haPriority;
        this.affinity = affinity;
        this.pinnedHostIds = List.copyOf(pinnedHostIds);
        this.storageErrorResume = storageErrorResume;
        this.watchdogModel = watchdogModel;
        this.watchdogAction = watchdogAction;
    }

    public boolean pinned() {
        return "pinned".equals(affinity);
    }
}
