package io.lifeboat.collector.source.ovirt;

import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.id.SourceId;
import io.lifeboat.common.id.SourceKind;
import io.lifeboat.common.id.StorageDomainKey;
import io.lifeboat.common.id.VmKey;
import io.lifeboat.common.inventory.ClusterRef;
import io.lifeboat.common.inventory.CpuTopology;
import io.lifeboat.common.inventory.Deletion;
import io.lifeboat.common.inventory.DiskStorageType;
import io.lifeboat.common.inventory.HighAvailability;
import io.lifeboat.common.inventory.HostRef;
import io.lifeboat.common.inventory.HostState;
import io.lifeboat.common.inventory.HostStatus;
import io.lifeboat.common.inventory.LunInfo;
import io.lifeboat.common.inventory.Placement;
import io.lifeboat.common.inventory.PlacementAffinity;
import io.lifeboat.common.inventory.StorageDomainState;
import io.lifeboat.common.inventory.VmDisk;
import io.lifeboat.common.inventory.VmState;
import io.lifeboat.common.inventory.VmStatus;
import io.lifeboat.common.inventory.Watchdog;
import io.lifeboat.common.inventory.WatchdogAction;
import io.lifeboat.common.inventory.WatchdogSource;
import io.lifeboat.common.lun.LunWwid;
import org.ovirt.engine.sdk4.types.Disk;
import org.ovirt.engine.sdk4.types.DiskAttachment;
import org.ovirt.engine.sdk4.types.Host;
import org.ovirt.engine.sdk4.types.Ip;
import org.ovirt.engine.sdk4.types.LogicalUnit;
import org.ovirt.engine.sdk4.types.ReportedDevice;
import org.ovirt.engine.sdk4.types.StorageDomain;
import org.ovirt.engine.sdk4.types.Vm;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/** oVirt SDK types → Lifeboat inventory records (wire-formats.md D.3, D.4). */
final class OvirtMapping {

    private OvirtMapping() {
    }

    /**
     * Every value of the engine's {@code HostStatus} (wire-formats.md D.4), one explicit case each:
     * <ul>
     *   <li>{@code connecting} is the engine's grace before {@code non_responsive}: already the engine has lost the
     *       host, so detection starts there.</li>
     *   <li>{@code kdumping}: the host's kernel crashed and fence_kdump reports the dump being written: its VMs are
     *       gone, so it is DOWN (the engine neither fences it nor restarts its VMs before the dump ends).</li>
     *   <li>{@code install_failed} and {@code error} need an operator: NON_OPERATIONAL, not a transition that ends by
     *       itself.</li>
     * </ul>
     * A value this code does not know (a future engine, or one the SDK could not parse) is UNKNOWN: it neither starts
     * a failure suspicion nor clears one.
     */
    static HostStatus hostStatus(String s) {
        return switch (s == null ? "" : s) {
            case "up" -> HostStatus.UP;
            case "down", "kdumping" -> HostStatus.DOWN;
            case "non_responsive", "connecting" -> HostStatus.NON_RESPONSIVE;
            case "non_operational", "error", "install_failed" -> HostStatus.NON_OPERATIONAL;
            case "maintenance", "preparing_for_maintenance" -> HostStatus.MAINTENANCE;
            case "installing", "installing_os", "initializing", "reboot", "pending_approval", "unassigned" ->
                    HostStatus.TRANSITIONING;
            default -> HostStatus.UNKNOWN;
        };
    }

    /**
     * Every value of the engine's {@code VmStatus} (wire-formats.md D.3), one explicit case each:
     * <ul>
     *   <li>{@code reboot_in_progress} is a guest that is up and rebooting: RUNNING (it holds its host).</li>
     *   <li>{@code image_locked}: the VM's disks are locked by an operation (snapshot, clone, creation); the engine
     *       counts it as not running: DOWN.</li>
     *   <li>{@code wait_for_launch}, {@code powering_up} and {@code restoring_state} start a guest on its host;
     *       {@code powering_down} and {@code saving_state} stop one.</li>
     *   <li>{@code unknown} (its host is non-responsive and not yet fenced) and {@code unassigned} (no status yet):
     *       UNKNOWN, as is a value this code does not know.</li>
     * </ul>
     */
    static VmStatus vmStatus(String s) {
        return switch (s == null ? "" : s) {
            case "up", "reboot_in_progress" -> VmStatus.RUNNING;
            case "paused" -> VmStatus.PAUSED;
            case "suspended" -> VmStatus.SUSPENDED;
            case "down", "image_locked" -> VmStatus.DOWN;
            case "powering_up", "wait_for_launch", "restoring_state" -> VmStatus.STARTING;
            case "powering_down", "saving_state" -> VmStatus.STOPPING;
            case "migrating" -> VmStatus.MIGRATING;
            case "not_responding" -> VmStatus.NOT_RESPONDING;
            case "unknown", "unassigned" -> VmStatus.UNKNOWN;
            default -> VmStatus.UNKNOWN;
        };
    }

    static HostState host(SourceId source, Host h, Map<String, ClusterRef> clusters, Instant at) {
        String status = h.status() == null ? "unknown" : h.status().value();
        ClusterRef cluster = h.cluster() == null ? null : clusters.getOrDefault(h.cluster().id(),
                new ClusterRef(h.cluster().id(), null));
        Boolean pm = h.powerManagement() == null ? null : h.powerManagement().enabled();
        return new HostState(HostKey.of(source, h.id()), SourceKind.OVIRT, h.name(), cluster, hostStatus(status),
                status, h.statusDetail(), h.address(), null, pm, null, at);
    }

    static VmState vm(SourceId source, Vm v, Map<String, ClusterRef> clusters, Map<String, String> hostNames,
                      Instant at) {
        return vm(source, v, clusters, hostNames, null, at);
    }

    /** With the number of the VM's virtual NUMA nodes (null: none defined, or not read). */
    static VmState vm(SourceId source, Vm v, Map<String, ClusterRef> clusters, Map<String, String> hostNames,
                      Integer numaNodes, Instant at) {
        String status = v.status() == null ? "unknown" : v.status().value();
        ClusterRef cluster = v.cluster() == null ? null : clusters.getOrDefault(v.cluster().id(),
                new ClusterRef(v.cluster().id(), null));
        HostRef host = v.host() == null ? null
                : new HostRef(HostKey.of(source, v.host().id()), hostNames.get(v.host().id()));
        CpuTopology cpu = null;
        if (v.cpu() != null && v.cpu().topology() != null && v.cpu().topology().sockets() != null) {
            cpu = new CpuTopology(v.cpu().topology().socketsAsInteger(), v.cpu().topology().coresAsInteger(),
                    v.cpu().topology().threadsAsInteger(), numaNodes);
        }
        HighAvailability ha = v.highAvailability() == null ? HighAvailability.NONE
                : new HighAvailability(Boolean.TRUE.equals(v.highAvailability().enabled()),
                v.highAvailability().priority() == null ? 0 : v.highAvailability().priorityAsInteger());
        Placement placement = null;
        if (v.placementPolicy() != null && v.placementPolicy().affinity() != null) {
            placement = new Placement(PlacementAffinity.valueOf(v.placementPolicy().affinity().name()),
                    v.placementPolicy().hosts().stream().map(h -> HostKey.of(source, h.id())).toList());
        }
        Watchdog watchdog = v.watchdogs().stream().findFirst()
                .map(w -> new Watchdog(w.model() == null ? null : w.model().value(),
                        WatchdogAction.parse(w.action() == null ? "none" : w.action().value()),
                        WatchdogSource.OVIRT_DEVICE))
                .orElse(null);
        List<String> ips = new ArrayList<>();
        for (ReportedDevice d : v.reportedDevices()) {
            for (Ip ip : d.ips()) {
                // link-local addresses say nothing about where the guest is reachable
                if (ip.address() != null && !ip.address().toLowerCase(Locale.ROOT).startsWith("fe80:")) {
                    ips.add(ip.address());
                }
            }
        }
        List<VmDisk> disks = v.diskAttachments().stream().map(OvirtMapping::disk).filter(Objects::nonNull).toList();
        return new VmState(VmKey.of(source, v.id()), SourceKind.OVIRT, v.name(), cluster, host, vmStatus(status),
                status, emptyToNull(v.statusDetail()), ips, v.memory() == null ? null : v.memoryAsLong(), cpu, disks,
                ha, placement,
                v.storageErrorResumeBehaviour() == null ? null : v.storageErrorResumeBehaviour().value(), watchdog,
                Deletion.NONE, Map.of(), List.of(), null, at);
    }

    private static VmDisk disk(DiskAttachment a) {
        Disk d = a.disk();
        if (d == null || d.id() == null) {
            return null;
        }
        DiskStorageType type = switch (d.storageType() == null ? "image" : d.storageType().value()) {
            case "lun" -> DiskStorageType.LUN;
            case "cinder" -> DiskStorageType.VOLUME;
            case "managed_block_storage" -> DiskStorageType.MANAGED_BLOCK;
            default -> DiskStorageType.IMAGE;
        };
        LunInfo lun = null;
        if (d.lunStorage() != null && !d.lunStorage().logicalUnits().isEmpty()) {
            LogicalUnit lu = d.lunStorage().logicalUnits().get(0);
            lun = LunInfo.of(lu.id(), lu.vendorId(), lu.productId(), lu.serial(),
                    lu.size() == null ? null : lu.sizeAsLong());
        }
        String domain = d.storageDomains().isEmpty() ? null : d.storageDomains().get(0).id();
        Long size = d.provisionedSize() != null ? d.provisionedSizeAsLong() : lun == null ? null : lun.sizeBytes();
        return new VmDisk(d.id(), d.alias() != null ? d.alias() : d.name(), size,
                a.interface_() == null ? null : a.interface_().value(), type, domain,
                Boolean.TRUE.equals(a.bootable()), lun);
    }

    static StorageDomainState storageDomain(SourceId source, StorageDomain sd, Instant at) {
        List<LunWwid> luns = new ArrayList<>();
        String storageType = null;
        if (sd.storage() != null) {
            storageType = sd.storage().type() == null ? null : sd.storage().type().value();
            if (sd.storage().volumeGroup() != null) {
                for (LogicalUnit lu : sd.storage().volumeGroup().logicalUnits()) {
                    if (LunWwid.isValid(lu.id())) {
                        luns.add(LunWwid.parse(lu.id()));
                    }
                }
            }
        }
        String dc = sd.dataCenters().isEmpty() ? null : sd.dataCenters().get(0).id();
        return new StorageDomainState(StorageDomainKey.of(source, sd.id()), sd.name(),
                sd.type() == null ? "unknown" : sd.type().value(), storageType, dc, luns, at);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
