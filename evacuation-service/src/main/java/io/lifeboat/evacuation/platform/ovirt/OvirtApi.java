package io.lifeboat.evacuation.platform.ovirt;

import java.util.List;
import java.util.Optional;

/** The oVirt engine calls a recovery needs (wire-formats.md D.4, D.6), behind one interface. */
public interface OvirtApi {

    /** A VM as the engine shows it now; {@code hostId} is null for a DOWN VM that is not pinned. */
    record Vm(String id, String name, String status, String statusDetail, String hostId, String clusterId,
              boolean ha, int haPriority) {
    }

    record Host(String id, String name, String status, String clusterId, boolean powerManagement) {
    }

    Optional<Vm> vm(String id);

    /** VMs the engine shows on the host (running, unknown, or pinned there). */
    List<Vm> vmsOn(String hostId);

    List<Host> hosts();

    Optional<Host> host(String id);

    /** Starts a DOWN VM, on the host or (null) where the engine's scheduler chooses. Made once. */
    void start(String vmId, String hostId);

    /** Migrates a running or paused VM, to the host or (null) the scheduler's choice. Made once. */
    void migrate(String vmId, String hostId);

    /** {@code POST /hosts/{id}/fence} with {@code fence_type} stop. */
    void fenceStop(String hostId);

    /** {@code fence_type} status: on, off or unknown. */
    String powerStatus(String hostId);

    /** {@code fence_type} manual: "confirm host has been rebooted", so the engine releases the host's VMs. */
    void fenceManual(String hostId);
}
