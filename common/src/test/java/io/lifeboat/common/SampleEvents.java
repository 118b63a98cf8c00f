package io.lifeboat.common;

import io.lifeboat.common.change.CollectionCycleFinished;
import io.lifeboat.common.change.CycleOutcome;
import io.lifeboat.common.change.DiskAttached;
import io.lifeboat.common.change.DiskDetached;
import io.lifeboat.common.change.HostStatusChanged;
import io.lifeboat.common.change.SignalSource;
import io.lifeboat.common.change.VmDiscovered;
import io.lifeboat.common.change.VmMovedHost;
import io.lifeboat.common.change.VmRemoved;
import io.lifeboat.common.change.VmStatusChanged;
import io.lifeboat.common.failure.HostFailureChanged;
import io.lifeboat.common.failure.HostFailurePhase;
import io.lifeboat.common.failure.PartitionSuspected;
import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.id.SourceId;
import io.lifeboat.common.id.SourceKind;
import io.lifeboat.common.id.StorageDomainKey;
import io.lifeboat.common.id.VmKey;
import io.lifeboat.common.incident.GuestIncident;
import io.lifeboat.common.incident.IncidentKind;
import io.lifeboat.common.inventory.ClusterRef;
import io.lifeboat.common.inventory.ComputeService;
import io.lifeboat.common.inventory.CpuTopology;
import io.lifeboat.common.inventory.Deletion;
import io.lifeboat.common.inventory.DeletionState;
import io.lifeboat.common.inventory.DiskStorageType;
import io.lifeboat.common.inventory.HighAvailability;
import io.lifeboat.common.inventory.HostRef;
import io.lifeboat.common.inventory.HostState;
import io.lifeboat.common.inventory.HostStatus;
import io.lifeboat.common.inventory.LunInfo;
import io.lifeboat.common.inventory.NovaDetails;
import io.lifeboat.common.inventory.Placement;
import io.lifeboat.common.inventory.PlacementAffinity;
import io.lifeboat.common.inventory.StorageDomainState;
import io.lifeboat.common.inventory.VmDisk;
import io.lifeboat.common.inventory.VmState;
import io.lifeboat.common.inventory.VmStatus;
import io.lifeboat.common.inventory.Watchdog;
import io.lifeboat.common.inventory.WatchdogAction;
import io.lifeboat.common.inventory.WatchdogSource;
import io.lifeboat.common.libvirt.IngestPath;
import io.lifeboat.common.libvirt.IoErrorInfo;
import io.lifeboat.common.libvirt.LibvirtEventKind;
import io.lifeboat.common.libvirt.LibvirtRawEvent;
import io.lifeboat.common.lun.LunWwid;
import io.lifeboat.common.plan.KeepReason;
import io.lifeboat.common.plan.UnmapDecision;
import io.lifeboat.common.plan.PlanBasis;
import io.lifeboat.common.plan.UnmapPlan;
import io.lifeboat.common.plan.UnmapPlanComparison;
import io.lifeboat.common.plan.UnmapPlanEntry;
import io.lifeboat.common.recovery.FailoverForecastChanged;
import io.lifeboat.common.recovery.InstanceMoveChanged;
import io.lifeboat.common.recovery.MoveState;
import io.lifeboat.common.recovery.RecoveryRunChanged;
import io.lifeboat.common.recovery.RecoveryRunState;
import io.lifeboat.common.recovery.RecoveryStep;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** One fully populated instance of every event type (every optional field set), for contract tests. */
public final class SampleEvents {

    public static final Instant T = Instant.parse("2024-05-01T10:00:02.481Z");
    public static final SourceId OVIRT = SourceId.of("ovirt-dc1");
    public static final SourceId REGION = SourceId.of("os-region1");
    public static final HostKey HOST = HostKey.of(OVIRT, "b2d4c7e0-0000-4000-8000-000000000011");
    public static final HostKey COMPUTE = HostKey.of(REGION, "cmp-a03");
    public static final VmKey VM = VmKey.of(OVIRT, "5c1e9a2b-0000-4000-8000-0000000000a0");
    public static final LunWwid LUN = LunWwid.parse("3600507680c8081b2e800000000000a5f");

    private SampleEvents() {
    }

    public static VmDisk lunDisk() {
        return new VmDisk("d7e1a2b3-0000-4000-8000-000000000001", "db-01-data", 107374182400L, "virtio_scsi",
                DiskStorageType.LUN, "sd-1", false,
                new LunInfo(LUN.toString(), LUN, "IBM", "2145", "SIBM_2145_00c02e8", 107374182400L));
    }

    public static VmState vmState() {
        return new VmState(VM, SourceKind.OVIRT, "db-01", new ClusterRef("c0ffee00-1", "prod-a"),
                new HostRef(HOST, "hv-a03"), VmStatus.PAUSED, "paused", "eio", List.of("10.1.2.7", "fd00::7"),
                8589934592L, new CpuTopology(2, 2, 1), List.of(lunDisk()), new HighAvailability(true, 50),
                new Placement(PlacementAffinity.PINNED, List.of(HOST)), "leave_paused",
                new Watchdog("i6300esb", WatchdogAction.RESET, WatchdogSource.FLAVOR_EXTRA_SPEC),
                new Deletion(DeletionState.SOFT_DELETED, T, T.plusSeconds(3600)), Map.of("ha", "true"),
                List.of("evacuable"), new NovaDetails("soft-delete", null, 4, "instance-0000a1b2",
                "cmp-a03.dc1.example", "ha.medium", "img-1", "UP", "proj-1"), T);
    }

    public static List<Object> all() {
        UUID id = UUID.fromString("3f5e0000-0000-4000-8000-000000000001");
        return List.of(
                new HostState(HOST, SourceKind.OVIRT, "hv-a03", new ClusterRef("c0ffee00-1", "prod-a"),
                        HostStatus.NON_RESPONSIVE, "non_responsive", "detail", "10.0.0.3", "hv-a03.dc1.example", true,
                        new ComputeService("5b0c8c8e-2f1e-4a77-9d3a-6a1d2f3e4b5c", "nova-compute", "down", "disabled",
                                true, "fenced by lifeboat", T, "nova"), T),
                vmState(),
                new StorageDomainState(StorageDomainKey.of(OVIRT, "sd-1"), "data-fc", "data", "fcp", "dc-1",
                        List.of(LunWwid.parse("600507680C8081B2E800000000000001")), T),
                new HostStatusChanged(HOST, "hv-a03", HostStatus.UP, HostStatus.NON_RESPONSIVE, "up",
                        "non_responsive", "code 9027", SignalSource.ENGINE_EVENT, T),
                new VmDiscovered(VM, "db-01", HOST, VmStatus.RUNNING, T),
                new VmStatusChanged(VM, "db-01", HOST, VmStatus.RUNNING, VmStatus.PAUSED, "paused", "eio",
                        SignalSource.INVENTORY_CYCLE, T),
                new VmMovedHost(VM, "db-01", HOST, HostKey.of(OVIRT, "other"), T),
                new DiskAttached(VM, "db-01", HOST, lunDisk(), T),
                new DiskDetached(VM, "db-01", HOST, lunDisk(), T),
                new VmRemoved(VM, "db-01", HOST, T),
                new CollectionCycleFinished(OVIRT, SourceKind.OVIRT, T, T.plusSeconds(3), CycleOutcome.PARTIAL, 10,
                        100, 7, 3, "storagedomains: HTTP 503"),
                new HostFailureChanged(id, COMPUTE, "cmp-a03", HostFailurePhase.FENCED, HostFailurePhase.CONFIRMED, T,
                        T.plusSeconds(70), "redfish", "ForceOff confirmed", null),
                new PartitionSuspected(REGION, 10, 6, 0.5, List.of(COMPUTE), T),
                new UnmapPlan(id, HOST, "hv-a03", "hv-a03-04829173", T, T.plusSeconds(5), "host-recovery:" + id,
                        PlanBasis.BEFORE_AS_OF, new UnmapPlanComparison(id, "host-failure:" + id,
                                List.of(LUN.toString()), List.of(), true),
                        List.of(new UnmapPlanEntry(LUN.toString(), LUN, VM, "db-01", "d7", "db-01-data",
                                        UnmapDecision.UNMAP, null, null),
                                new UnmapPlanEntry("not-a-wwid", null, VM, "db-01", "d8", "db-01-log",
                                        UnmapDecision.KEEP, KeepReason.UNKNOWN_WWID, "LUN id is not a WWID"))),
                new RecoveryRunChanged(id, id, COMPUTE, SourceKind.OPENSTACK, RecoveryRunState.RUNNING,
                        RecoveryStep.EVACUATE_INSTANCES, false, "system", 12, 3, 1, 2, T, "3 of 12 active"),
                new InstanceMoveChanged(id, COMPUTE, VmKey.of(REGION, "7d3f0c4e-1111-4a2b-9c9c-000000000001"),
                        "web-1", "evacuate", MoveState.ONGOING, 1, HostKey.of(REGION, "cmp-b07"), "retry", T),
                new FailoverForecastChanged(COMPUTE, "cmp-a03", 9, List.of(new FailoverForecastChanged.Unplaceable(
                        VmKey.of(REGION, "7d3f0c4e-1111-4a2b-9c9c-000000000002"), "db-big", 8, 16384,
                        "needs 8 vCPU and 16384 MiB: the scheduler: no up, enabled compute has room")), T),
                new LibvirtRawEvent("cmp-a03", COMPUTE, "7d3f0c4e-1111-4a2b-9c9c-000000000001", "instance-0000a1c4",
                        LibvirtEventKind.IO_ERROR_REASON, "Suspended", "I/O Error", "pause",
                        new IoErrorInfo("/dev/dm-7", "virtio-disk1", "pause", "eio"), T, IngestPath.HTTP,
                        "2024-05-01 10:03:11.007+0000: event 'io-error' for domain 'instance-0000a1c4': /dev/dm-7"
                                + " (virtio-disk1) pause due to eio"),
                new GuestIncident(id, IncidentKind.WATCHDOG_ACTION, VM, "db-01", HOST, "hv-a03", VM.vmId(),
                        "db-01", "pause", T, T.plusSeconds(1), 2, List.of("e1", "e2"), "watchdog pause"));
    }
}
