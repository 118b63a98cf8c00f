package io.lifeboat.evacuation.platform.ovirt;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The oVirt engine calls a recovery needs (wire-formats.md D.4, D.6), behind one interface. */
public interface OvirtApi {

    /** A VM as the engine shows it now; {@code hostId} is null for a DOWN VM that is not pinned. */
    /**
     * A VM; {@code memoryMb} and {@code vcpus} (its CPU topology's product) are -1 when the engine did not say;
     * {@code pinnedHostIds}: the only hosts it may run on (placement policy {@code pinned} with hosts), else empty.
     */
    record Vm(String id, String name, String status, String statusDetail, String hostId, String clusterId,
              boolean ha, int haPriority, long memoryMb, int vcpus, List<String> pinnedHostIds) {
        public Vm(String id, String name, String status, String statusDetail, String hostId, String clusterId,
                  boolean ha, int haPriority) {
            this(id, name, status, statusDetail, hostId, clusterId, ha, haPriority, -1, -1, List.of());
        }
    }

    /** A host; {@code maxSchedulingMemoryMb} is the engine's {@code max_scheduling_memory}, -1 when not shown. */
    record Host(String id, String name, String status, String clusterId, boolean powerManagement,
                long maxSchedulingMemoryMb) {
        public Host(String id, String name, String status, String clusterId, boolean powerManagement) {
            this(id, name, status, clusterId, powerManagement, -1);
        }
    }

    /** An engine event (AuditLogType {@code code}, wire-formats.md D.5) about a host or a VM. */
    record Event(long index, int code, String hostId, String vmId, Instant time, String description) {
    }

    Optional<Vm> vm(String id);

    /** VMs the engine shows on the host (running, unknown, or pinned there). */
    List<Vm> vmsOn(String hostId);

    List<Host> hosts();

    /** Every VM of the engine (one list). */
    List<Vm> vms();

    Optional<Host> host(String id);

    /** Starts a DOWN VM, on the host or (null) where the engine's scheduler chooses. Made once. */
    void start(String vmId, String hostId);

    /** Migrates a running or paused VM, to the host or (null) the scheduler's choice. Made once. */
    void migrate(String vmId, String hostId);

    /** {@code POST /hosts/{id}/fence} with {@code fence_type} stop: the engine allows it only in Maintenance. */
    void fenceStop(String hostId);

    /**
     * {@code fence_type} restart (RestartVdsCommand: stop, "confirm rebooted", start): allowed in any status for a
     * host with power management; its success means the stop succeeded and the host's VMs were released. Made once.
     */
    void fenceRestart(String hostId);

    /** The newest {@code max} events, newest first. */
    List<Event> recentEvents(int max);

    /** Whether the cluster's fencing policy lets the engine fence its non-responsive hosts itself. */
    boolean clusterFencingEnabled(String clusterId);

    /** {@code fence_type} status: on, off or unknown. */
    String powerStatus(String hostId);

    /** {@code fence_type} manual: "confirm host has been rebooted", so the engine releases the host's VMs. */
    void fenceManual(String hostId);
}
