package io.lifeboat.simulator.ovirt;

import io.lifeboat.simulator.world.SimulatedFault;

import java.time.Clock;
import java.time.Duration;
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
    static final int HA_VM_RESTART_FAILED = 9603;
    static final int VDS_HOST_NOT_RESPONDING_CONNECTING = 9008;
    static final int FENCE_OPERATION_FAILED = 9019;
    static final int VDS_ALERT_FENCE_OPERATION_FAILED = 9002;
    static final int VDS_ALERT_FENCE_DISABLED_BY_CLUSTER_POLICY = 9015;
    static final int VDS_ALERT_NO_PM_CONFIG_FENCE_OPERATION_SKIPPED = 9028;
    static final int SYSTEM_VDS_RESTART = 121;
    static final int SYSTEM_FAILED_VDS_RESTART = 122;
    static final int VDS_RECOVER_FAILED = 19;
    static final int USER_VDS_RESTART = 41;
    static final int VDS_MANUAL_FENCE_STATUS = 494;
    static final int VDS_AUTO_FENCE_STATUS = 539;
    static final int VDS_INITIATED_RUN_VM = 506;

    /** Host statuses in which "confirm host has been rebooted" is accepted (FenceVdsManualyCommand). */
    private static final java.util.Set<String> MANUAL_FENCE_STATUSES = java.util.Set.of("down", "install_failed",
            "maintenance", "non_operational", "non_responsive", "reboot", "installing", "connecting", "kdumping");
    /** ... and in which it also releases the host's VMs (ClearNonResponsiveVdsVmsCommand). */
    private static final java.util.Set<String> MANUAL_FENCE_RELEASES = java.util.Set.of("non_responsive", "reboot",
            "kdumping");

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
    /** The clusters' fencing policy: the engine fences a non-responsive host with power management itself. */
    private boolean engineFencing = true;
    /** TimeoutToResetVdsInSeconds: how long a host that stops answering stays Connecting (0: none). */
    private Duration fenceGrace = Duration.ZERO;
    /** How long a host restarted by power management takes to boot. */
    private Duration rebootTime = Duration.ofSeconds(30);

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

    /** The engine's own fencing: the clusters' fencing policy, the Connecting grace and the reboot time. */
    public synchronized void setFencing(Boolean enabled, Duration grace, Duration reboot) {
        if (enabled != null) {
            engineFencing = enabled;
        }
        if (grace != null) {
            fenceGrace = grace;
        }
        if (reboot != null) {
            rebootTime = reboot;
        }
    }

    public synchronized boolean engineFencing() {
        return engineFencing;
    }

    public synchronized Duration fenceGrace() {
        return fenceGrace;
    }

    public synchronized Duration rebootTime() {
        return rebootTime;
    }

    /**
     * The engine's clock-driven work, done when anything looks at the engine (as its monitoring would have done by
     * then): a host whose Connecting grace is over becomes non-responsive and is treated (fenced by the engine itself
     * when it can be); a host whose reboot is over comes up, or stays non-responsive when it still cannot be reached.
     */
    public synchronized void advance() {
        Instant now = clock.instant();
        for (OvHost h : hosts.values()) {
            if ("connecting".equals(h.status) && h.connectingSince != null
                    && !now.isBefore(h.connectingSince.plus(fenceGrace))) {
                h.connectingSince = null;
                nonResponsive(h);
            } else if ("reboot".equals(h.status) && h.rebootUntil != null && !now.isBefore(h.rebootUntil)) {
                h.rebootUntil = null;
                if (h.poweredOn && h.networkReachable) {
                    h.status = "up";
                    h.statusDetail = null;
                    event(VDS_DETECTED, "normal", "Status of host " + h.name + " was set to Up.", h.id, null);
                } else {
                    h.status = "non_responsive";   // the reboot wait is over; the treatment does not run again
                }
            }
        }
    }

    // ------------------------------------------------------------------ reads (snapshots of the engine's view)

    public synchronized List<OvDataCenter> dataCenters() {
        return List.copyOf(dataCenters.values());
    }

    public synchronized List<OvCluster> clusters() {
        return List.copyOf(clusters.values());
    }

    public synchronized List<OvHost> hosts() {
        advance();
        return List.copyOf(hosts.values());
    }

    public synchronized List<OvStorageDomain> storageDomains() {
        return List.copyOf(storageDomains.values());
    }

    public synchronized List<OvDisk> disks() {
        return List.copyOf(disks.values());
    }

    public synchronized List<OvVm> vms() {
        advance();
        return List.copyOf(vms.values());
    }

    public synchronized Optional<OvVm> vm(String id) {
        advance();
        return Optional.ofNullable(vms.get(id));
    }

    public synchronized Optional<OvHost> host(String id) {
        advance();
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
        advance();
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
        advance();
        return events.isEmpty() ? 0 : events.get(events.size() - 1).index();
    }

    // ------------------------------------------------------------------ faults (control plane)

    /** The host loses power: it stops, and so do its VMs; the engine sees it not responding. */
    public synchronized void powerLoss(String hostId) {
        OvHost h = requireHost(hostId);
        h.poweredOn = false;
        lostContact(h);
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
        lostContact(h);
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

    /**
     * The engine stops reaching the host (VdsManager.handleNetworkException): Connecting for the grace period (event
     * 9008 with power management, 9027 without), then non-responsive; with no grace, non-responsive at once.
     */
    private void lostContact(OvHost h) {
        if ("connecting".equals(h.status) || "non_responsive".equals(h.status)) {
            return;
        }
        h.status = "connecting";
        h.connectingSince = clock.instant();
        if (h.powerManagementEnabled) {
            event(VDS_HOST_NOT_RESPONDING_CONNECTING, "warning", "Host " + h.name + " is not responding. It will stay"
                    + " in Connecting state for a grace period of " + fenceGrace.toSeconds() + " seconds and after"
                    + " that an attempt to fence the host will be issued.", h.id, null);
        } else {
            event(VDS_HOST_NOT_RESPONDING, "warning", "Host " + h.name + " is not responding. Host cannot be fenced"
                    + " automatically because power management for the host is disabled.", h.id, null);
        }
        if (fenceGrace.isZero()) {
            nonResponsive(h);
        }
    }

    /** Non-responsive: its VMs unknown (142), and the engine's treatment (VdsNotRespondingTreatmentCommand). */
    private void nonResponsive(OvHost h) {
        h.status = "non_responsive";
        h.connectingSince = null;
        event(VDS_FAILURE, "error", "Host " + h.name + " is non responsive.", h.id, null);
        for (OvVm vm : vmsOn(h.id)) {
            if (!"down".equals(vm.status) && !"unknown".equals(vm.status)) {
                vm.status = "unknown";
                vm.statusDetail = null;
                event(VM_SET_TO_UNKNOWN_STATUS, "warning", "VM " + vm.name + " was set to the Unknown status.",
                        h.id, vm.id);
            }
        }
        if (fenceGrace.isZero() && !engineFencing) {
            return;   // the simple model: nothing is treated, the host waits to be fenced from outside
        }
        if (!h.powerManagementEnabled) {
            event(VDS_ALERT_NO_PM_CONFIG_FENCE_OPERATION_SKIPPED, "alert", "Host " + h.name + " became non responsive."
                    + " It has no power management configured. Please check the host status, manually reboot it, and"
                    + " click \"Confirm Host Has Been Rebooted\"", h.id, null);
            return;
        }
        if (!engineFencing) {
            event(VDS_ALERT_FENCE_DISABLED_BY_CLUSTER_POLICY, "alert", "Host " + h.name + " became Non Responsive and"
                    + " was not restarted due to disabled fencing in the Cluster Fencing Policy.", h.id, null);
            return;
        }
        if (!h.bmcPowered) {
            event(FENCE_OPERATION_STARTED, "normal", "Power management stop of Host " + h.name + " initiated.",
                    h.id, null);
            event(FENCE_OPERATION_FAILED, "error", "Power management stop of Host " + h.name + " failed.", h.id,
                    null);
            event(VDS_ALERT_FENCE_OPERATION_FAILED, "alert", "Failed to power fence host " + h.name + ". Please check"
                    + " the host status and it's power management settings, and then manually reboot it and click"
                    + " \"Confirm Host Has Been Rebooted\"", h.id, null);
            event(SYSTEM_FAILED_VDS_RESTART, "error", "A restart initiated by the engine to Host " + h.name
                    + " has failed.", h.id, null);
            event(VDS_RECOVER_FAILED, "error", "Host " + h.name + " failed to recover.", h.id, null);
            return;
        }
        restart(h, null);
        event(SYSTEM_VDS_RESTART, "normal", "Host " + h.name + " was restarted by the engine.", h.id, null);
        event(VDS_RECOVER, "normal", "Host " + h.name + " is rebooting.", h.id, null);
    }

    /**
     * RestartVdsCommand: stop through the fence agent (the host Reboot, its VMs down, HA VMs restarted elsewhere),
     * the internal manual fence, then start: the host boots for {@code rebootTime}. {@code user} null: the engine's.
     */
    private void restart(OvHost h, String user) {
        event(FENCE_OPERATION_STARTED, "normal", "Power management stop of Host " + h.name + " initiated.", h.id,
                null);
        h.poweredOn = false;
        h.status = "reboot";
        event(FENCE_OPERATION_SUCCEEDED, "normal", "Power management stop of Host " + h.name + " succeeded.", h.id,
                null);
        hostFenced(h);
        event(VDS_AUTO_FENCE_STATUS, "normal", "Auto fence for host " + h.name + " was started.", h.id, null);
        event(FENCE_OPERATION_STARTED, "normal", "Power management start of Host " + h.name + " initiated.", h.id,
                null);
        h.poweredOn = true;
        event(FENCE_OPERATION_SUCCEEDED, "normal", "Power management start of Host " + h.name + " succeeded.", h.id,
                null);
        if (user != null) {
            event(USER_VDS_RESTART, "normal", "Host " + h.name + " was restarted by " + user + ".", h.id, null);
        }
        h.rebootUntil = clock.instant().plus(rebootTime);
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
        advance();
        OvHost h = requireHost(hostId);
        String type = fenceType == null ? "" : fenceType;
        switch (type) {
            case "manual" -> {
                // "Confirm host has been rebooted" (FenceVdsManualyCommand): no power management needed; the VMs are
                // released only from a non-responsive, rebooting or kdumping host; the host's status is unchanged.
                if (!MANUAL_FENCE_STATUSES.contains(h.status)) {
                    throw SimulatedFault.conflict("Cannot confirm 'Host has been rebooted' Host. Valid Host statuses"
                            + " are \"Non operational\", \"Maintenance\" or \"Connecting\".");
                }
                event(VDS_MANUAL_FENCE_STATUS, "normal", "Manual fence for host " + h.name + " was started.", h.id,
                        null);
                if (MANUAL_FENCE_RELEASES.contains(h.status)) {
                    hostFenced(h);
                }
                return null;
            }
            case "status" -> {
                requirePowerManagement(h, "status");
                requireAgent(h, "status");
                return h.poweredOn ? "on" : "off";
            }
            case "stop" -> {
                // StopVdsCommand: only a host in Maintenance.
                requirePowerManagement(h, "stop");
                if (!"maintenance".equals(h.status)) {
                    throw SimulatedFault.conflict("Cannot perform Stop operation, Host has to be in Maintenance mode"
                            + " in order to be stopped.");
                }
                requireAgent(h, "stop");
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
                // StartVdsCommand: Down, Non Responsive, Reboot or Maintenance; Connecting is refused.
                requirePowerManagement(h, "start");
                if ("connecting".equals(h.status)) {
                    throw SimulatedFault.conflict("Due to intermittent connectivity to this Host, fence operations are"
                            + " not allowed at this time. The system is trying to reconnect, please try again in 30"
                            + " seconds.");
                }
                if (!java.util.Set.of("down", "non_responsive", "reboot", "maintenance").contains(h.status)) {
                    throw SimulatedFault.conflict("Cannot perform Start operation, Host has to be in one of the"
                            + " following statuses: Down ,Non Responsive or Maintenance.");
                }
                requireAgent(h, "start");
                h.poweredOn = true;
                if (!"maintenance".equals(h.status)) {
                    h.status = "reboot";
                    h.rebootUntil = clock.instant().plus(rebootTime);
                }
                return null;
            }
            case "restart" -> {
                // RestartVdsCommand: no status check; power management and a working agent.
                requirePowerManagement(h, "restart");
                requireAgent(h, "restart");
                restart(h, "admin@internal");
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
                    Optional<OvHost> target = schedule(vm, h.id);
                    if (target.isEmpty()) {
                        event(HA_VM_RESTART_FAILED, "error", "Highly Available VM " + vm.name + " could not be"
                                + " restarted.", null, vm.id);
                        return;
                    }
                    event(VDS_INITIATED_RUN_VM, "normal", "Trying to restart VM " + vm.name + " on Host "
                            + target.get().name, target.get().id, vm.id);
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
    /**
     * The engine's scheduler: an Up host of the VM's cluster (its pinned hosts for a pinned VM) with the memory the VM
     * needs ({@link EngineMemory}), the one with the most {@code max_scheduling_memory} winning.
     */
    private Optional<OvHost> schedule(OvVm vm, String excludeHostId) {
        return hosts.values().stream()
                .filter(OvHost::schedulable)
                .filter(h -> h.clusterId.equals(vm.clusterId))
                .filter(h -> !h.id.equals(excludeHostId))
                .filter(h -> !vm.pinned() || vm.pinnedHostIds.isEmpty() || vm.pinnedHostIds.contains(h.id))
                .filter(h -> EngineMemory.requiredMb(vm) <= maxSchedulingMb(h))
                .max(Comparator.comparingLong(this::maxSchedulingMb)
                        .thenComparing(Comparator.comparingLong((OvHost h) -> vmsOn(h.id).size()).reversed())
                        .thenComparing(Comparator.comparing((OvHost h) -> h.name).reversed()));
    }

    /** The host's {@code max_scheduling_memory} in MiB, from the VMs running on it now. */
    public synchronized long maxSchedulingMb(OvHost h) {
        return EngineMemory.maxSchedulingMb(h, vmsOn(h.id).stream().filter(v -> !"down".equals(v.status)).toList());
    }

    /** Resizes a host's physical memory: what its {@code max_scheduling_memory} and the scheduler follow. */
    public synchronized OvHost resize(String hostIdOrName, long memoryMb) {
        OvHost h = hosts.values().stream().filter(x -> x.id.equals(hostIdOrName) || x.name.equals(hostIdOrName))
                .findFirst().orElseThrow(() -> SimulatedFault.notFound("no host " + hostIdOrName));
        if (memoryMb <= EngineMemory.RESERVED_MB) {
            throw SimulatedFault.badRequest("memoryMb must be above VDSM's reserved " + EngineMemory.RESERVED_MB);
        }
        h.memoryBytes = memoryMb << 20;
        return h;
    }

    private void checkTarget(OvVm vm, OvHost target, String verb) {
        if (!target.schedulable()) {
            throw SimulatedFault.conflict("Cannot " + verb + " VM. Host " + target.name + " is not in Up status.");
        }
        if (!target.clusterId.equals(vm.clusterId)) {
            throw SimulatedFault.conflict("Cannot " + verb + " VM. Host " + target.name + " does not belong to the VM's"
                    + " cluster.");
        }
        long available = maxSchedulingMb(target);
        if (EngineMemory.requiredMb(vm) > available) {
            throw SimulatedFault.conflict("Cannot " + verb + " VM. There is no host that satisfies current scheduling"
                    + " constraints. See below for details:, The host " + target.name + " did not satisfy internal"
                    + " filter Memory because its available memory is too low (" + available + " MB) to run the VM.");
        }
    }

    private List<OvVm> vmsOn(String hostId) {
        return vms.values().stream().filter(vm -> hostId.equals(vm.hostId)).toList();
    }

    /** FenceValidator (validation): power management enabled. */
    private void requirePowerManagement(OvHost h, String action) {
        if (!h.powerManagementEnabled) {
            throw SimulatedFault.conflict("Cannot fence Host, Host fence is disabled., Cannot " + action + " Host."
                    + " Fence operation failed.");
        }
    }

    /** Execution: a fence agent that answers (not after a total power loss). */
    private void requireAgent(OvHost h, String action) {
        if (!h.bmcPowered) {
            event(FENCE_OPERATION_FAILED, "error", "Power management " + action + " of Host " + h.name + " failed.",
                    h.id, null);
            throw SimulatedFault.conflict("Cannot " + action + " Host. Fence operation failed.");
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
        if ("down".equals(vm.status) || "image_locked".equals(vm.status)) {   // the engine's not-running statuses
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
