package io.lifeboat.common.inventory;

import io.lifeboat.common.Nullable;
import io.lifeboat.common.Require;
import io.lifeboat.common.id.SourceKind;
import io.lifeboat.common.id.VmKey;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Full current state of a VM, published to the compacted {@code lifeboat.inventory.vms.v1} topic (a tombstone when
 * the VM is gone). This is the row the operators asked for: VM, cluster, host, IPs, RAM, CPU, disks and LUN ids.
 *
 * @param host               where it runs; null when the platform shows no host (an oVirt DOWN VM that is not pinned)
 * @param statusDetail       oVirt {@code status_detail}, e.g. {@code eio} for paused on a storage I/O error
 * @param memoryBytes        RAM in bytes (oVirt reports bytes, Nova flavors MiB)
 * @param storageErrorResume oVirt {@code storage_error_resume_behaviour}: auto_resume, leave_paused or kill
 * @param watchdog           null when the VM has no watchdog device
 * @param metadata           Nova server metadata (e.g. HA / evacuable markers), oVirt custom properties
 */
public record VmState(
        VmKey vm,
        SourceKind platform,
        String name,
        @Nullable ClusterRef cluster,
        @Nullable HostRef host,
        VmStatus status,
        String platformStatus,
        @Nullable String statusDetail,
        List<String> ipAddresses,
        @Nullable Long memoryBytes,
        @Nullable CpuTopology cpu,
        List<VmDisk> disks,
        HighAvailability ha,
        @Nullable Placement placement,
        @Nullable String storageErrorResume,
        @Nullable Watchdog watchdog,
        Deletion deletion,
        Map<String, String> metadata,
        List<String> tags,
        @Nullable NovaDetails nova,
        Instant observedAt) {

    public static final String TYPE = "lifeboat.vm.state.v1";

    public VmState {
        Require.field(vm, "vm");
        Require.field(platform, "platform");
        Require.text(name, "name");
        Require.field(status, "status");
        Require.text(platformStatus, "platformStatus");
        ipAddresses = Require.list(ipAddresses);
        disks = Require.list(disks);
        Require.field(ha, "ha");
        Require.field(deletion, "deletion");
        metadata = Require.map(metadata);
        tags = Require.list(tags);
        Require.field(observedAt, "observedAt");
    }
}
