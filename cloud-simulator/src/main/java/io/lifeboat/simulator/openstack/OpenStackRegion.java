package io.lifeboat.simulator.openstack;

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
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One simulated OpenStack region: Nova's compute services, servers, flavors and migrations, Glance images and Cinder
 * volumes, with Nova's rules (wire-formats.md A): service state from heartbeats, evacuate's validation order and
 * codes, deferred delete. Every method is synchronized.
 */
public final class OpenStackRegion {

    private static final Set<String> EVACUABLE_VM_STATES = Set.of("active", "stopped", "error");

    public final String sourceId;
    public final String projectId;
    public final String projectName;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final Map<String, NovaService> services = new LinkedHashMap<>();     // by host
    private final Map<String, NovaServer> servers = new LinkedHashMap<>();
    private final Map<String, NovaFlavor> flavors = new LinkedHashMap<>();
    private final Map<String, GlanceImage> images = new LinkedHashMap<>();
    private final Map<String, CinderVolume> volumes = new LinkedHashMap<>();
    private final List<NovaMigration> migrations = new ArrayList<>();
    private final List<LeftoverDomain> leftoverDomains = new ArrayList<>();
    private final Set<String> failNextEvacuation = new java.util.HashSet<>();

    /** Nova's defaults since 2023.1 ({@code initial_cpu_allocation_ratio} 4.0, {@code initial_ram_allocation_ratio} 1.0). */
    public static final double CPU_ALLOCATION_RATIO = 4.0;
    public static final double RAM_ALLOCATION_RATIO = 1.0;
    /** {@code reserved_host_memory_mb}: placement's MEMORY_MB {@code reserved}, counted in {@code memory_mb_used}. */
    public static final int RESERVED_HOST_MEMORY_MB = 512;

    private Duration serviceDownTime;
    private Duration evacuationDuration;
    private Duration reclaimInterval;

    /** A libvirt domain left on a hypervisor after Nova reclaimed its server (an injected fault). */
    public record LeftoverDomain(String host, String serverId, String instanceName, Instant deletedAt,
                                 Instant reclaimedAt) {
    }

    public OpenStackRegion(String sourceId, String projectId, String projectName, Clock clock,
                           ScheduledExecutorService timer, Duration serviceDownTime, Duration evacuationDuration,
                           Duration reclaimInterval) {
        this.sourceId = sourceId;
        this.projectId = projectId;
        this.projectName = projectName;
        this.clock = clock;
        this.timer = timer;
        this.serviceDownTime = serviceDownTime;
        this.evacuationDuration = evacuationDuration;
        this.reclaimInterval = reclaimInterval;
    }

    // ------------------------------------------------------------------ building and settings

    /** The highest compute microversion this region serves; null: the simulator's setting. */
    private volatile String maxMicroversion;

    public String maxMicroversion() {
        return maxMicroversion;
    }

    /** An older Nova: requests above it get Nova's 406. */
    public void setMaxMicroversion(String max) {
        this.maxMicroversion = max;
    }

    public synchronized void add(NovaService s) {
        services.put(s.host, s);
    }

    public synchronized void add(NovaServer s) {
        servers.put(s.id, s);
    }

    public synchronized void add(NovaFlavor f) {
        flavors.put(f.id(), f);
    }

    public synchronized void add(GlanceImage i) {
        images.put(i.id(), i);
    }

    public synchronized void add(CinderVolume v) {
        volumes.put(v.id, v);
    }

    public synchronized Duration serviceDownTime() {
        return serviceDownTime;
    }

    public synchronized void setTimings(Duration serviceDownTime, Duration evacuationDuration,
                                        Duration reclaimInterval) {
        if (serviceDownTime != null) {
            this.serviceDownTime = serviceDownTime;
        }
        if (evacuationDuration != null) {
            this.evacuationDuration = evacuationDuration;
        }
        if (reclaimInterval != null) {
            this.reclaimInterval = reclaimInterval;
        }
    }

    /** How long an accepted evacuation stays in REBUILD before the server is ACTIVE on its new host. */
    public synchronized Duration evacuationDuration() {
        return evacuationDuration;
    }

    public synchronized Duration reclaimInterval() {
        return reclaimInterval;
    }

    // ------------------------------------------------------------------ reads

    public Instant now() {
        return clock.instant();
    }

    public synchronized List<NovaService> services() {
        return List.copyOf(services.values());
    }

    public synchronized Optional<NovaService> service(String host) {
        return Optional.ofNullable(services.get(host));
    }

    public synchronized Optional<NovaService> serviceById(String id) {
        return services.values().stream()
                .filter(s -> s.uuid.equals(id) || Integer.toString(s.intId).equals(id)).findFirst();
    }

    public synchronized List<NovaServer> servers() {
        return List.copyOf(servers.values());
    }

    public synchronized Optional<NovaServer> server(String id) {
        return Optional.ofNullable(servers.get(id));
    }

    public synchronized List<NovaFlavor> flavors() {
        return List.copyOf(flavors.values());
    }

    public synchronized Optional<NovaFlavor> flavor(String id) {
        return Optional.ofNullable(flavors.get(id));
    }

    public synchronized List<GlanceImage> images() {
        return List.copyOf(images.values());
    }

    public synchronized Optional<GlanceImage> image(String id) {
        return Optional.ofNullable(images.get(id));
    }

    public synchronized List<CinderVolume> volumes() {
        return List.copyOf(volumes.values());
    }

    public synchronized Optional<CinderVolume> volume(String id) {
        return Optional.ofNullable(volumes.get(id));
    }

    public synchronized List<NovaMigration> migrations() {
        return List.copyOf(migrations);
    }

    public synchronized List<LeftoverDomain> leftoverDomains() {
        return List.copyOf(leftoverDomains);
    }

    // ------------------------------------------------------------------ faults

    /** The host loses power: its heartbeat stops, its guests die. Nova still shows them active until it learns. */
    public synchronized void powerLoss(String host) {
        NovaService s = requireService(host);
        s.stopHeartbeat(now());
        s.poweredOn = false;
        for (NovaServer srv : serversOn(host)) {
            srv.running = false;
        }
    }

    /** The host and its BMC lose power (a PDU or a whole rack): as a power loss, and the BMC answers nothing. */
    public synchronized void totalPowerLoss(String host) {
        requireService(host).bmcPowered = false;
        powerLoss(host);
    }

    /** The host keeps running, but its heartbeats no longer reach Nova. */
    public synchronized void networkPartition(String host) {
        NovaService s = requireService(host);
        s.stopHeartbeat(now());
        s.networkReachable = false;
    }

    /**
     * The host loses its storage path: guests on volumes pause on an I/O error. Nova ignores an unexpected pause:
     * vm_state stays active, power_state becomes 3 (wire-formats.md E.5).
     */
    public synchronized void storageLoss(String host) {
        NovaService s = requireService(host);
        s.storageReachable = false;
        for (NovaServer srv : serversOn(host)) {
            if (!srv.volumeIds.isEmpty() && srv.running && srv.powerState == 1) {
                srv.powerState = 3;
                srv.updatedAt = now();   // the power sync saves the instance: changes-since sees it
            }
        }
    }

    /**
     * Undoes every fault. A host that had lost power comes back with its guests gone: Nova's power sync stops the
     * instances still assigned to it, and nova-compute's init_host destroys the guests evacuated away, completing
     * their migrations ({@code _destroy_evacuated_instances}, wire-formats.md A.1).
     */
    public synchronized void recover(String host) {
        NovaService s = requireService(host);
        boolean wasOff = !s.poweredOn;
        s.poweredOn = true;
        s.bmcPowered = true;
        s.networkReachable = true;
        s.storageReachable = true;
        s.lastHeartbeat = now();
        for (NovaServer srv : serversOn(host)) {
            if (wasOff && "active".equals(srv.vmState)) {
                srv.vmState = "stopped";
                srv.powerState = 4;
                srv.updatedAt = now();
            }
            if (srv.powerState == 3 && "active".equals(srv.vmState)) {
                srv.powerState = 1;
                srv.updatedAt = now();
            }
            srv.running = "active".equals(srv.vmState);
        }
        for (NovaMigration m : migrations) {
            if (m.sourceCompute.equals(host) && "done".equals(m.status)) {
                m.status = "completed";
                m.updatedAt = now();
            }
        }
    }

    /** Power restored (a BMC "On"): the compute boots, heart-beats again, and Nova stops the guests it lost. */
    public synchronized void powerOn(String host) {
        NovaService s = requireService(host);
        if (s.poweredOn) {
            return;
        }
        s.poweredOn = true;
        if (s.networkReachable) {
            s.lastHeartbeat = now();
        }
        for (NovaServer srv : serversOn(host)) {
            if ("active".equals(srv.vmState)) {
                srv.vmState = "stopped";
                srv.powerState = 4;
                srv.updatedAt = now();
            }
            srv.running = false;
        }
    }

    /** The next evacuation of this server fails on the destination (ERROR), once. */
    public synchronized void failNextEvacuation(String serverId) {
        requireServer(serverId);
        failNextEvacuation.add(serverId);
    }

    /** When this server is reclaimed after soft delete, its libvirt domain is left behind on the hypervisor. */
    public synchronized void leaveDomainOnReclaim(String serverId) {
        requireServer(serverId).leaveDomainOnReclaim = true;
    }

    // ------------------------------------------------------------------ os-services

    /** {@code PUT /os-services/force-down} (2.11-2.52) and {@code PUT /os-services/{uuid}} (2.53+). */
    public synchronized NovaService setForcedDown(String host, boolean forcedDown) {
        NovaService s = requireService(host);
        if (!forcedDown && s.forcedDown && migrations.stream().anyMatch(m -> m.sourceCompute.equals(host)
                && "evacuation".equals(m.migrationType) && "done".equals(m.status))) {
            // Nova refuses to unset forced_down while evacuations from the host are 'done' (not yet 'completed').
            throw SimulatedFault.badRequest("Service is unavailable at this time: the source compute " + host
                    + " still has evacuation migrations in 'done' status; restart it first.");
        }
        s.forcedDown = forcedDown;
        return s;
    }

    public synchronized NovaService setStatus(String host, String status, String disabledReason) {
        NovaService s = requireService(host);
        if (!"enabled".equals(status) && !"disabled".equals(status)) {
            throw SimulatedFault.badRequest("Invalid input for field/attribute status. Value: " + status
                    + ". '" + status + "' is not one of ['enabled', 'disabled']");
        }
        if ("enabled".equals(status) && disabledReason != null) {
            throw SimulatedFault.badRequest("Specifying 'disabled_reason' with status 'enabled' is invalid.");
        }
        s.status = status;
        s.disabledReason = "disabled".equals(status) ? disabledReason : null;
        return s;
    }

    // ------------------------------------------------------------------ server actions

    /**
     * {@code evacuate}, checked in the order Nova checks (wire-formats.md A.1): target host exists (404), is not the
     * same host (400), instance state (409), source service down (400). The schema checks of the request body are done
     * by the API layer before this.
     */
    public synchronized NovaMigration evacuate(String serverId, String targetHost, boolean stoppedAfter) {
        NovaServer srv = requireServer(serverId);
        if (targetHost != null && !services.containsKey(targetHost)) {
            throw SimulatedFault.notFound("Compute host " + targetHost + " not found.");
        }
        if (targetHost != null && targetHost.equals(srv.host)) {
            throw SimulatedFault.badRequest("The target host can't be the same one.");
        }
        if (!EVACUABLE_VM_STATES.contains(srv.vmState)) {
            throw SimulatedFault.conflict("Cannot 'evacuate' instance " + srv.id + " while it is in vm_state "
                    + srv.vmState);
        }
        if (srv.taskState != null) {
            throw SimulatedFault.conflict("Cannot 'evacuate' instance " + srv.id + " while it is in task_state "
                    + srv.taskState);
        }
        NovaService source = requireService(srv.host);
        if (source.up(now(), serviceDownTime)) {
            throw SimulatedFault.badRequest("Compute service of " + srv.host + " is still in use.");
        }
        String originalState = srv.vmState;
        srv.taskState = "rebuilding";
        srv.updatedAt = now();
        NovaMigration m = new NovaMigration(migrations.size() + 1, UUID.randomUUID().toString(), srv.id, srv.host,
                targetHost, "evacuation", "accepted", now());
        migrations.add(m);
        timer.schedule(() -> finishEvacuation(srv.id, m, targetHost, originalState, stoppedAfter),
                evacuationDuration.toMillis(), TimeUnit.MILLISECONDS);
        return m;
    }

    private synchronized void finishEvacuation(String serverId, NovaMigration m, String targetHost,
                                               String originalState, boolean stoppedAfter) {
        NovaServer srv = servers.get(serverId);
        if (srv == null || !"rebuilding".equals(srv.taskState)) {
            return;
        }
        Optional<NovaService> target = targetHost != null
                ? Optional.ofNullable(services.get(targetHost)).filter(this::acceptsInstances)
                        .filter(s -> fits(s, flavors.get(srv.flavorId)))
                : schedule(srv.host, flavors.get(srv.flavorId));
        srv.taskState = null;
        srv.updatedAt = now();
        m.updatedAt = now();
        if (target.isEmpty() || failNextEvacuation.remove(serverId)) {
            srv.vmState = "error";
            srv.lastFault = target.isEmpty() ? "No valid host was found. There are not enough hosts available."
                    : "Build of instance " + serverId + " aborted: injected rebuild failure";
            m.status = "failed";
            return;
        }
        NovaService dest = target.get();
        m.destCompute = dest.host;
        m.status = "done";
        srv.host = dest.host;
        // 2.95+: the instance ends stopped on the destination; before, a stopped instance stays stopped.
        boolean stopped = stoppedAfter || "stopped".equals(originalState);
        srv.vmState = stopped ? "stopped" : "active";
        srv.powerState = stopped ? 4 : 1;
        srv.running = !stopped;
        srv.lastFault = null;
        for (String volumeId : srv.volumeIds) {
            CinderVolume v = volumes.get(volumeId);
            if (v != null) {
                v.attachedHost = dest.host;
            }
        }
    }

    /**
     * Nova's scheduler for an evacuation (research: conductor {@code rebuild_instance}, placement's capacity check, the
     * default filters and weighers): an enabled, up compute other than the source, with room for the flavor in
     * placement's terms, the one with the most free RAM winning (RAMWeigher, then CPUWeigher; ties by name).
     */
    private Optional<NovaService> schedule(String sourceHost, NovaFlavor flavor) {
        return services.values().stream()
                .filter(s -> !s.host.equals(sourceHost))
                .filter(this::acceptsInstances)
                .filter(s -> fits(s, flavor))
                .max(Comparator.comparingLong((NovaService s) -> s.memoryMb - RESERVED_HOST_MEMORY_MB
                                - usage(s.host).ramMb())
                        .thenComparingDouble(s -> s.vcpus * CPU_ALLOCATION_RATIO - usage(s.host).vcpus())
                        .thenComparing(Comparator.comparing((NovaService s) -> s.host).reversed()));
    }

    private boolean acceptsInstances(NovaService s) {
        return "enabled".equals(s.status) && s.up(now(), serviceDownTime) && s.poweredOn;
    }

    /**
     * Placement's capacity check for one instance (research: {@code _check_capacity_exceeded}): {@code used + amount
     * <= (total - reserved) * allocation_ratio} for VCPU and MEMORY_MB, and no more than {@code max_unit}, which the
     * libvirt driver sets to the host's total.
     */
    synchronized boolean fits(NovaService s, NovaFlavor flavor) {
        if (flavor == null) {
            return true;
        }
        Usage u = usage(s.host);
        return flavor.vcpus() <= s.vcpus && flavor.ramMb() <= s.memoryMb
                && u.vcpus() + flavor.vcpus() <= s.vcpus * CPU_ALLOCATION_RATIO
                && u.ramMb() + flavor.ramMb() <= (s.memoryMb - RESERVED_HOST_MEMORY_MB) * RAM_ALLOCATION_RATIO;
    }

    /** What a compute's instances hold in placement: every server assigned to it that is not deleted. */
    public record Usage(int vcpus, long ramMb, int instances) {
    }

    public synchronized Usage usage(String host) {
        int vcpus = 0;
        long ram = 0;
        int n = 0;
        for (NovaServer x : servers.values()) {
            if (host.equals(x.host) && !x.deleted && !"shelved_offloaded".equals(x.vmState)) {
                NovaFlavor f = flavors.get(x.flavorId);
                vcpus += f == null ? 0 : f.vcpus();
                ram += f == null ? 0 : f.ramMb();
                n++;
            }
        }
        return new Usage(vcpus, ram, n);
    }

    /**
     * Boots a server on a host, as an admin's {@code availability_zone=<zone>:<host>} does (the host forced, placement
     * still checked): ACTIVE at once. Refused (409) when the flavor does not fit.
     */
    public synchronized NovaServer boot(String name, String flavorRef, String host, Map<String, String> metadata) {
        return boot(name, flavorRef, host, metadata, 0);
    }

    /** Boots a server with {@code volumes} new SVC volumes attached (in-use, each with its vdisk UID). */
    public synchronized NovaServer boot(String name, String flavorRef, String host, Map<String, String> metadata,
                                        int volumes) {
        NovaService s = requireService(host);
        NovaFlavor f = flavors.values().stream().filter(x -> x.id().equals(flavorRef) || x.name().equals(flavorRef))
                .findFirst().orElseThrow(() -> SimulatedFault.badRequest("Flavor " + flavorRef + " could not be"
                        + " found."));
        if (!fits(s, f)) {
            throw SimulatedFault.conflict("No valid host was found. " + host + " has no room for " + f.name());
        }
        int n = servers.size() + 1;
        NovaServer srv = new NovaServer(UUID.randomUUID().toString(), name, projectId, "u-booted",
                String.format("instance-%08x", 0xb0000 + n), now());
        srv.host = host;
        srv.flavorId = f.id();
        srv.imageId = images.isEmpty() ? null : images.keySet().iterator().next();
        if (metadata != null) {
            srv.metadata.putAll(metadata);
        }
        srv.addresses.put("private", List.of("10.250." + (n / 250) + "." + (1 + n % 250)));
        srv.availabilityZone = s.zone;
        for (int d = 1; d <= volumes; d++) {
            attachNew(srv);
        }
        servers.put(srv.id, srv);
        return srv;
    }

    /**
     * Creates a new SVC volume and attaches it to the server (in-use, its vdisk UID in {@code volume_wwn}); the
     * attachment saves the instance, so {@code changes-since} lists the server again.
     */
    public synchronized CinderVolume attachNewVolume(String serverId) {
        NovaServer srv = servers.get(serverId);
        if (srv == null || srv.deleted) {
            throw SimulatedFault.notFound("Instance " + serverId + " could not be found.");
        }
        if (srv.host == null || srv.volumeIds.size() >= 25) {
            throw SimulatedFault.conflict("Cannot attach a volume to instance " + serverId + " now");
        }
        CinderVolume vol = attachNew(srv);
        srv.updatedAt = now();
        return vol;
    }

    private CinderVolume attachNew(NovaServer srv) {
        int d = srv.volumeIds.size() + 1;
        String uid = ("600507680c8081b2e8" + UUID.randomUUID().toString().replace("-", "").substring(0, 14))
                .toUpperCase(java.util.Locale.ROOT);
        CinderVolume vol = new CinderVolume(UUID.randomUUID().toString(), srv.name + "-vol" + d, 10, projectId,
                "ctl@svc#Pool0", uid, false);
        vol.status = "in-use";
        vol.serverId = srv.id;
        vol.attachmentId = UUID.randomUUID().toString();
        vol.attachedHost = srv.host;
        vol.device = "/dev/vd" + (char) ('a' + d);
        vol.attachedAt = now();
        volumes.put(vol.id, vol);
        srv.volumeIds.add(vol.id);
        return vol;
    }

    /** Resizes a hypervisor (its physical CPUs and memory): the capacity the scheduler and the hypervisor API show. */
    public synchronized NovaService resize(String host, Integer vcpus, Integer memoryMb) {
        NovaService s = requireService(host);
        if (vcpus != null) {
            if (vcpus < 1) {
                throw SimulatedFault.badRequest("vcpus must be at least 1");
            }
            s.vcpus = vcpus;
        }
        if (memoryMb != null) {
            if (memoryMb <= RESERVED_HOST_MEMORY_MB) {
                throw SimulatedFault.badRequest("memoryMb must be above the reserved " + RESERVED_HOST_MEMORY_MB);
            }
            s.memoryMb = memoryMb;
        }
        return s;
    }

    public synchronized void start(String serverId) {
        NovaServer srv = requireServer(serverId);
        requireState(srv, "start", Set.of("stopped"));
        srv.vmState = "active";
        srv.powerState = 1;
        srv.running = true;
        srv.updatedAt = now();
    }

    public synchronized void stop(String serverId) {
        NovaServer srv = requireServer(serverId);
        requireState(srv, "stop", Set.of("active", "error"));
        srv.vmState = "stopped";
        srv.powerState = 4;
        srv.running = false;
        srv.updatedAt = now();
    }

    /** {@code os-resetState}: only active or error are allowed (schema), and the task state is cleared. */
    public synchronized void resetState(String serverId, String state) {
        NovaServer srv = requireServer(serverId);
        if (!"active".equals(state) && !"error".equals(state)) {
            throw SimulatedFault.badRequest("Invalid input for field/attribute state. Value: " + state + ". '"
                    + state + "' is not one of ['active', 'error']");
        }
        srv.vmState = state;
        srv.taskState = null;
        srv.updatedAt = now();
    }

    /** {@code DELETE /servers/{id}}: soft delete when a reclaim interval is set, else gone at once. */
    public synchronized void delete(String serverId) {
        NovaServer srv = requireServer(serverId);
        if (srv.deleted) {
            throw SimulatedFault.notFound("Instance " + serverId + " could not be found.");
        }
        if (reclaimInterval.isZero()) {
            hardDelete(srv);
        } else {
            srv.vmState = "soft-delete";
            srv.powerState = 4;
            srv.running = false;
            srv.deletedAt = now();
            srv.updatedAt = now();
        }
    }

    public synchronized void restore(String serverId) {
        NovaServer srv = requireServer(serverId);
        if (!"soft-delete".equals(srv.vmState)) {
            throw SimulatedFault.conflict("Cannot 'restore' instance " + serverId + " while it is in vm_state "
                    + srv.vmState);
        }
        NovaService host = services.get(srv.host);
        if (host != null && !host.up(now(), serviceDownTime)) {
            // Restore is an RPC to the instance's compute; with that compute dead it sits in 'restoring'.
            srv.taskState = "restoring";
            return;
        }
        srv.vmState = "active";
        srv.powerState = 1;
        srv.running = true;
        srv.deletedAt = null;
        srv.updatedAt = now();
    }

    public synchronized void forceDelete(String serverId) {
        NovaServer srv = requireServer(serverId);
        if (srv.taskState != null) {
            throw SimulatedFault.conflict("Cannot 'forceDelete' instance " + serverId + " while it is in task_state "
                    + srv.taskState);
        }
        hardDelete(srv);
    }

    /** Nova's periodic {@code _reclaim_queued_deletes}: soft-deleted servers past the interval are deleted. */
    public synchronized int reclaim() {
        int n = 0;
        for (NovaServer srv : servers.values()) {
            if ("soft-delete".equals(srv.vmState) && srv.deletedAt != null && !reclaimInterval.isZero()
                    && !now().isBefore(srv.deletedAt.plus(reclaimInterval))) {
                if (srv.leaveDomainOnReclaim) {
                    leftoverDomains.add(new LeftoverDomain(srv.host, srv.id, srv.instanceName, srv.deletedAt, now()));
                }
                hardDelete(srv);
                n++;
            }
        }
        return n;
    }

    private void hardDelete(NovaServer srv) {
        srv.vmState = "deleted";
        srv.taskState = null;
        srv.deleted = true;
        srv.running = false;
        if (srv.deletedAt == null) {
            srv.deletedAt = now();
        }
        srv.updatedAt = now();
        for (String volumeId : srv.volumeIds) {
            CinderVolume v = volumes.get(volumeId);
            if (v != null) {
                v.status = "available";
                v.serverId = null;
                v.attachedHost = null;
                v.attachmentId = null;
            }
        }
    }

    private void requireState(NovaServer srv, String action, Set<String> allowed) {
        if (!allowed.contains(srv.vmState)) {
            throw SimulatedFault.conflict("Cannot '" + action + "' instance " + srv.id + " while it is in vm_state "
                    + srv.vmState);
        }
        if (srv.taskState != null) {
            throw SimulatedFault.conflict("Cannot '" + action + "' instance " + srv.id + " while it is in task_state "
                    + srv.taskState);
        }
    }

    public synchronized List<NovaServer> serversOn(String host) {
        return servers.values().stream().filter(s -> host.equals(s.host) && !s.deleted).toList();
    }

    private NovaService requireService(String host) {
        NovaService s = services.get(host);
        if (s == null) {
            throw SimulatedFault.notFound("Compute host " + host + " not found.");
        }
        return s;
    }

    private NovaServer requireServer(String id) {
        NovaServer s = servers.get(id);
        if (s == null || s.deleted) {
            throw SimulatedFault.notFound("Instance " + id + " could not be found.");
        }
        return s;
    }
}
