package io.lifeboat.simulator.ovirt;

import io.lifeboat.simulator.world.SimulatedFault;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One simulated oVirt engine: its inventory, the engine's view of it, and the ground truth behind that view. Every
 * method is synchronized: the API and the control plane see consistent states.
 *
 * <p>Behaviour follows wire-formats.md D and peers.md (oVirt HA): a host that loses power or network becomes
 * {@code non_responsive} and its VMs {@code unknown} until it is fenced; then its VMs go {@code down} (a VM that is not
 * pinned shows no host any more) and, when the engine's HA restart is on, HA VMs start on another host of the
 * cluster. A host that loses its storage path stays {@code up} while its VMs pause with {@code status_detail=eio}.
 */
public final class OvirtEngine {

    // AuditLogType codes (wire-formats.md D.5)
    static final int VDS_FAILURE = 12;
    static final int VDS_DETECTED = 13;
    static final int VDS_RECOVER = 14;
    static final int VDS_HOST_NOT_RESPONDING = 9027;
    static final int FENCE_OPERATION_STARTED = 9017;
    static final int FENCE_OPERATION_SUCCEEDED = 9018;
    static final int VM_DOWN = 61;
    static final int VM_MIGRATION_START = 62;
    static final int VM_MIGRATION_DONE = 63;
    static final int VM_SET_TO_UNKNOWN_STATUS = 142;
    static final int VM_WAS_SET_DOWN_DUE_TO_HOST_REBOOT_OR_MANUAL_FENCE = 143;
    static final int VM_PAUSED_EIO = 145;
    static final int USER_STARTED_VM = 153;
    static final int VM_RECOVERED_FROM_PAUSE_ERROR = 196;
    static final int HA_VM_FAILED = 9602;
    static final int HA_VM_RESTART_FAILED = 9603;

    private static final int MAX_EVENTS = 200_000;

    public final String sourceId;
    private final Clock clock;
    private final Map<String, OvDataCenter> dataCenters = new LinkedHashMap<>();
    private final Map<String, OvCluster> clusters = new LinkedHashMap<>();
    private final Map<String, OvHost> hosts = new LinkedHashMap<>();
    private final Map<String, OvStorageDomain> storageDomains = new LinkedHashMap<>();
    private final Map<String, OvDisk> disks = new LinkedHashMap<>();
    private final Map<String, OvVm> vms = new LinkedHashMap<>();
    private final List<OvEvent> events = new ArrayList<>();
    private final AtomicLong eventIndex = new AtomicLong(1000);
    private boolean haRestart = true;

    public OvirtEngine(String sourceId, Clock clock) {
        this.sourceId = sourceId;
        this.clock = clock;
    }

    // ------------------------------------------------------------------ building the topology

    public synchronized void add(OvDataCenter dc) {
        dataCenters.put(dc.id(), dc);
    }

    public synchronized void add(OvCluster c) {
        clusters.put(c.id(), c);
    }

    public synchronized void add(OvHost h) {
        hosts.put(h.id, h);
    }

    public synchronized void add(OvStorageDomain sd) {
        storageDomains.put(sd.id(), sd);
    }

    public synchronized void add(OvDisk d) {
        disks.put(d.id, d);
    }

    public synchronized void add(OvVm vm) {
        vms.put(vm.id, vm);
    }

    public synchronized void setHaRestart(boolean on) {
        haRestart = on;
    }

    public synchronized boolean haRestart() {
        return haRestart;
    }

    // ------------------------------------------------------------------ reads (snapshots of the engine's view)

    public synchronized List<OvDataCenter> dataCenters() {
        return List.copyOf(dataCenters.values());
    }

    public synchronized List<OvCluster> clusters() {
        return List.copyOf(clusters.values());
    }

    public synchronized List<OvHost> hosts() {
        return List.copyOf(hosts.values());
    }

    public synchronized List<OvStorageDomain> storageDomains() {
        return List.copyOf(storageDomains.values());
    }

    public synchronized List<OvDisk> disks() {
        return List.copyOf(disks.values());
    }

    public synchronized List<OvVm> vms() {
        return List.copyOf(vms.values());
    }

    public synchronized Optional<OvVm> vm(String id) {
        return Optional.ofNullable(vms.get(id));
    }

    public synchronized Optional<OvHost> host(String id) {
        return Optional.ofNullable(hosts.get(id));
    }

    public synchronized Optional<OvDisk> disk(String id) {
        return Optional.ofNullable(disks.get(id));
    }

    public synchronized Optional<OvCluster> cluster(String id) {
        return Optional.ofNullable(clusters.get(id));
    }

    public synchronized Optional<OvDataCenter> dataCenter(String id) {
        return Optional.ofNullable(dataCenters.get(id));
    }

    public synchronized Optional<OvStorageDomain> storageDomain(String id) {
        return Optional.ofNullable(storageDomains.get(id));
    }

    /** Events with an index above {@code from}, newest first, at most {@code max} (as the real feed). */
    public synchronized List<OvEvent> eventsAfter(long from, int max) {
        List<OvEvent> out = new ArrayList<>();
        for (int i = events.size() - 1; i >= 0 && out.size() < max; i--) {
            OvEvent e = events.get(i);
            if (e.index() <= from) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    public synchronized long lastEventIndex() {
        return events.isEmpty() ? 0 : events.get(events.size() - 1).index();
    }

    // ------------------------------------------------------------------ faults (control plane)

    /** The host loses power: it stops, and so do its VMs; the engine sees it not responding. */
    public synchronized void powerLoss(String hostId) {
        OvHost h = requireHost(hostId);
        h.poweredOn = false;
        lostContact(h, "Host " + h.name + " is not responding. It will stay in Connecting state for a grace period"
                + " and then will be fenced.");
    }

    /**
     * The host and its BMC lose power (a PDU or a whole rack): as a power loss, and no fence agent answers either, so
     * the engine's power management fails like any other fencer's.
     */
    public synchronized void totalPowerLoss(String hostId) {
        requireHost(hostId).bmcPowered = false;
        powerLoss(hostId);
    }

    /** The host keeps running but the engine cannot reach it: same view as a power loss, but the VMs still run. */
    public synchronized void networkPartition(String hostId) {
        OvHost h = requireHost(hostId);
        h.networkReachable = false;
        lostContact(h, "Host " + h.name + " is not responding. Host cannot be fenced automatically because power"
                + " management for the host is " + (h.powerManagementEnabled ? "enabled" : "disabled") + ".");
    }

    /** The host loses its path to the storage: it stays up, its running VMs pause on an I/O error. */
    public synchronized void storageLoss(String hostId) {
        OvHost h = requireHost(hostId);
        h.storageReachable = false;
        for (OvVm vm : vmsOn(h.id)) {
            if ("up".equals(vm.status)) {
                vm.status = "paused";
                vm.statusDetail = "eio";
                event(VM_PAUSED_EIO, "warning", "VM " + vm.name + " has been paused due to storage I/O problem.",
                        h.id, vm.id);
            }
        }
    }

    /** Power restored (a BMC "On"): the host boots and rejoins when the engine can reach it; its old guests are gone. */
    public synchronized void powerOn(String hostId) {
        OvHost h = requireHost(hostId);
        if (h.poweredOn) {
            return;
        }
        h.poweredOn = true;
        if (h.networkReachable) {
            h.status = "up";
            h.statusDetail = null;
            event(VDS_DETECTED, "normal", "Status of host " + h.name + " was set to Up.", h.id, null);
            for (OvVm vm : vmsOn(h.id)) {
                if (!"down".equals(vm.status)) {
                    setDown(vm, "VM " + vm.name + " is down. Exit message: host powered off.", VM_DOWN);
                }
            }
        }
    }

    /** Undoes every fault of the host; a host that had lost power comes back empty. */
    public synchronized void recover(String hostId) {
        OvHost h = requireHost(hostId);
        boolean wasOff = !h.poweredOn;
        h.poweredOn = true;
        h.bmcPowered = true;
        h.networkReachable = true;
        boolean storageBack = !h.storageReachable;
        h.storageReachable = true;
        if (!"up".equals(h.status)) {
            h.status = "up";
            h.statusDetail = null;
            event(VDS_DETECTED, "normal", "Status of host " + h.name + " was set to Up.", h.id, null);
        }
        for (OvVm vm : vmsOn(h.id)) {
            if ("unknown".equals(vm.status) || "not_responding".equals(vm.status)) {
                if (wasOff) {
                    setDown(vm, "VM " + vm.name + " is down. Exit message: host powered off.", VM_DOWN);
                } else {
                    vm.status = "up";
                }
            } else if (storageBack && "paused".equals(vm.status) && "eio".equals(vm.statusDetail)
                    && "auto_resume".equals(vm.storageErrorResume)) {
                vm.status = "up";
                vm.statusDetail = null;
                event(VM_RECOVERED_FROM_PAUSE_ERROR, "normal", "VM " + vm.name + " has recovered from paused back to"
                        + " up.", h.id, vm.id);
            }
        }
    }

    private void lostContact(OvHost h, String description) {
        if (!"non_responsive".equals(h.status)) {
            h.status = "non_responsive";
            event(VDS_HOST_NOT_RESPONDING, "warning", description, h.id, null);
        }
        for (OvVm vm : vmsOn(h.id)) {
            if (!"down".equals(vm.status) && !"unknown".equals(vm.status)) {
                vm.status = "unknown";
                vm.statusDetail = null;
                event(VM_SET_TO_UNKNOWN_STATUS, "warning", "VM " + vm.name + " was set to the Unknown status.",
                        h.id, vm.id);
            }
        }
    }

    /** Power management configured or not (a host without it cannot be fenced by the engine). */
    public synchronized void setPowerManagement(String hostId, boolean enabled) {
        requireHost(hostId).powerManagementEnabled = enabled;
    }

    // ------------------------------------------------------------------ actions (the emulated API)

    /**
     * {@code POST /hosts/{id}/fence}: manual, status, stop, start, restart (wire-formats.md D.4). Returns the power
     * state for {@code status} ("on" / "off"), otherwise null.
     */
    public synchronized String fence(String hostId, String fenceType) {
        OvHost h = requireHost(hostId);
        String type = fenceType == null ? "" : fenceType;
        switch (type) {
            case "manual" -> {
                // "Confirm host has been rebooted": the operator vouches for it; the engine frees the host's VMs.
                event(FENCE_OPERATION_SUCCEEDED, "normal", "Manual fence for host " + h.name + " was started.",
                        h.id, null);
                hostFenced(h);
                return null;
            }
            case "status" -> {
                requirePowerManagement(h);
                return h.poweredOn ? "on" : "off";
            }
            case "stop" -> {
                requirePowerManagement(h);
                event(FENCE_OPERATION_STARTED, "normal", "Power management stop of Host " + h.name + " initiated.",
                        h.id, null);
                h.poweredOn = false;
                h.status = "down";
                event(FENCE_OPERATION_SUCCEEDED, "normal", "Power management stop of Host " + h.name
                        + " succeeded.", h.id, null);
                hostFenced(h);
                return null;
            }
            case "start" -> {
                requirePowerManagement(h);
                h.poweredOn = true;
                if (h.networkReachable) {
                    h.status = "up";
                    event(VDS_DETECTED, "normal", "Status of host " + h.name + " was set to Up.", h.id, null);
                }
                return null;
            }
            case "restart" -> {
                requirePowerManagement(h);
                event(FENCE_OPERATION_STARTED, "normal", "Power management restart of Host " + h.name
                        + " initiated.", h.id, null);
                h.poweredOn = true;
                hostFenced(h);
                h.status = h.networkReachable && h.storageReachable ? "up" : "non_responsive";
                event(FENCE_OPERATION_SUCCEEDED, "normal", "Power management restart of Host " + h.name
                        + " succeeded.", h.id, null);
                return null;
            }
            default -> throw SimulatedFault.badRequest("Fence type '" + type + "' is not valid. Valid types are:"
                    + " manual, restart, start, status, stop.");
        }
    }

    /** {@code POST /vms/{id}/start}, optionally on a given host (a run-once placement override). */
    public synchronized void start(String vmId, String targetHostId) {
        OvVm vm = requireVm(vmId);
        if (!"down".equals(vm.status)) {
            throw SimulatedFault.conflict("Cannot run VM. VM is running.");
        }
        OvHost target = targetHostId != null ? requireHost(targetHostId) : schedule(vm, null).orElseThrow(() ->
                SimulatedFault.conflict("Cannot run VM. There is no host that satisfies current scheduling"
                        + " constraints."));
        checkTarget(vm, target, "run");
        vm.status = "up";
        vm.statusDetail = null;
        vm.hostId = target.id;
        vm.lastHostId = target.id;
        vm.startTime = clock.instant();
        vm.stopReason = null;
        event(USER_STARTED_VM, "normal", "VM " + vm.name + " was started by admin@internal (Host: " + target.name
                + ").", target.id, vm.id);
    }

    /** {@code POST /vms/{id}/migrate}, to a given host or the scheduler's choice. */
    public synchronized void migrate(String vmId, String targetHostId, boolean force) {
        OvVm vm = requireVm(vmId);
        if (!"up".equals(vm.status) && !"paused".equals(vm.status)) {
            throw SimulatedFault.conflict("Cannot migrate VM. VM " + vm.name + " is not running.");
        }
        if (vm.pinned() || ("user_migratable".equals(vm.affinity) && !force)) {
            throw SimulatedFault.conflict("Cannot migrate VM. VM " + vm.name + " is non-migratable.");
        }
        OvHost source = requireHost(vm.hostId);
        OvHost target = targetHostId != null ? requireHost(targetHostId) : schedule(vm, source.id).orElseThrow(() ->
                SimulatedFault.conflict("Cannot migrate VM. There is no host that satisfies current scheduling"
                        + " constraints."));
        if (target.id.equals(source.id)) {
            throw SimulatedFault.conflict("Cannot migrate VM. The source and destination hosts are the same.");
        }
        checkTarget(vm, target, "migrate");
        event(VM_MIGRATION_START, "normal", "Migration started (VM: " + vm.name + ", Source: " + source.name
                + ", Destination: " + target.name + ").", source.id, vm.id);
        vm.hostId = target.id;
        vm.lastHostId = target.id;
        if ("paused".equals(vm.status) && "eio".equals(vm.statusDetail) && target.storageReachable) {
            vm.status = "up";
            vm.statusDetail = null;
        }
        event(VM_MIGRATION_DONE, "normal", "Migration completed (VM: " + vm.name + ", Source: " + source.name
                + ", Destination: " + target.name + ").", target.id, vm.id);
    }

    /** {@code POST /vms/{id}/stop}: power off. */
    public synchronized void stop(String vmId) {
        OvVm vm = requireVm(vmId);
        if ("down".equals(vm.status)) {
            throw SimulatedFault.conflict("Cannot stop VM. VM is not running.");
        }
        setDown(vm, "VM " + vm.name + " powered off by admin@internal.", VM_DOWN);
    }

    // ------------------------------------------------------------------ engine internals

    /** After a confirmed fence: the host's VMs are down; HA VMs restart elsewhere when the engine's HA is on. */
    private void hostFenced(OvHost h) {
        List<OvVm> affected = vmsOn(h.id).stream().filter(vm -> !"down".equals(vm.status)).toList();
        for (OvVm vm : affected) {
            setDown(vm, "Vm " + vm.name + " was shut down due to " + h.name + " host reboot or manual fence",
                    VM_WAS_SET_DOWN_DUE_TO_HOST_REBOOT_OR_MANUAL_FENCE);
        }
        if (!haRestart) {
            return;
        }
        affected.stream()
                .filter(vm -> vm.haEnabled)
                .sorted(Comparator.comparingInt((OvVm vm) -> -vm.haPriority).thenComparing(vm -> vm.name))
                .forEach(vm -> {
                    event(HA_VM_FAILED, "error", "Highly Available VM " + vm.name + " failed. It will be restarted"
                            + " automatically.", null, vm.id);
                    Optional<OvHost> target = schedule(vm, h.id);
                    if (target.isEmpty()) {
                        event(HA_VM_RESTART_FAILED, "error", "Highly Available VM " + vm.name + " could not be"
                                + " restarted.", null, vm.id);
                        return;
                    }
                    vm.status = "up";
                    vm.hostId = target.get().id;
                    vm.lastHostId = target.get().id;
                    vm.startTime = clock.instant();
                    vm.stopReason = null;
                });
    }

    private void setDown(OvVm vm, String description, int code) {
        String host = vm.hostId;
        vm.status = "down";
        vm.statusDetail = null;
        vm.stopTime = clock.instant();
        if (!vm.pinned()) {
            vm.hostId = null;    // a DOWN VM that is not pinned shows no host
        }
        event(code, code == VM_DOWN ? "normal" : "warning", description, host, vm.id);
    }

    /** The engine's scheduler: an up host of the VM's cluster (its pinned hosts if pinned), least loaded first. */
    private Optional<OvHost> schedule(OvVm vm, String excludeHostId) {
        return hosts.values().stream()
                .filter(OvHost::schedulable)
                .filter(h -> h.clusterId.equals(vm.clusterId))
                .filter(h -> !h.id.equals(excludeHostId))
                .filter(h -> !vm.pinned() || vm.pinnedHostIds.isEmpty() || vm.pinnedHostIds.contains(h.id))
                .min(Comparator.comparingLong((OvHost h) -> vmsOn(h.id).size()).thenComparing(h -> h.name));
    }

    private void checkTarget(OvVm vm, OvHost target, String verb) {
        if (!target.schedulable()) {
            throw SimulatedFault.conflict("Cannot " + verb + " VM. Host " + target.name + " is not in Up status.");
        }
        if (!target.clusterId.equals(vm.clusterId)) {
            throw SimulatedFault.conflict("Cannot " + verb + " VM. Host " + target.name + " does not belong to the VM's"
                    + " cluster.");
        }
    }

    private List<OvVm> vmsOn(String hostId) {
        return vms.values().stream().filter(vm -> hostId.equals(vm.hostId)).toList();
    }

    private void requirePowerManagement(OvHost h) {
        if (!h.powerManagementEnabled) {
            throw SimulatedFault.conflict("Cannot fence Host. Power Management is not enabled for Host " + h.name
                    + ".");
        }
        if (!h.bmcPowered) {
            throw SimulatedFault.conflict("Cannot fence Host " + h.name + ": its fence agent did not respond (the"
                    + " power management status is unknown).");
        }
    }

    private OvHost requireHost(String id) {
        OvHost h = id == null ? null : hosts.get(id);
        if (h == null) {
            throw SimulatedFault.notFound("Host '" + id + "' not found");
        }
        return h;
    }

    private OvVm requireVm(String id) {
        OvVm vm = vms.get(id);
        if (vm == null) {
            throw SimulatedFault.notFound("VM '" + id + "' not found");
        }
        return vm;
    }

    private void event(int code, String severity, String description, String hostId, String vmId) {
        long index = eventIndex.incrementAndGet();
        String cluster = null;
        if (hostId != null && hosts.containsKey(hostId)) {
            cluster = hosts.get(hostId).clusterId;
        } else if (vmId != null && vms.containsKey(vmId)) {
            cluster = vms.get(vmId).clusterId;
        }
        events.add(new OvEvent(index, index, code, severity, clock.instant(), description, hostId, vmId, cluster));
        if (events.size() > MAX_EVENTS) {
            events.subList(0, events.size() - MAX_EVENTS).clear();
        }
    }

    /** Ground truth: the host a VM really runs on, or null when it is not running anywhere. */
    public synchronized String truthHostOf(OvVm vm) {
        if ("down".equals(vm.status)) {
            return null;
        }
        String h = vm.hostId != null ? vm.hostId : vm.lastHostId;
        OvHost host = h == null ? null : hosts.get(h);
        return host != null && host.poweredOn ? host.id : null;
    }

    public synchronized Instant now() {
        return clock.instant();
    }
}
