package io.lifeboat.simulator.topology;

import io.lifeboat.simulator.openstack.CinderVolume;
import io.lifeboat.simulator.openstack.GlanceImage;
import io.lifeboat.simulator.openstack.NovaFlavor;
import io.lifeboat.simulator.openstack.NovaServer;
import io.lifeboat.simulator.openstack.NovaService;
import io.lifeboat.simulator.openstack.OpenStackRegion;
import io.lifeboat.simulator.ovirt.OvCluster;
import io.lifeboat.simulator.ovirt.OvDataCenter;
import io.lifeboat.simulator.ovirt.OvDisk;
import io.lifeboat.simulator.ovirt.OvDiskAttachment;
import io.lifeboat.simulator.ovirt.OvHost;
import io.lifeboat.simulator.ovirt.OvLun;
import io.lifeboat.simulator.ovirt.OvNic;
import io.lifeboat.simulator.ovirt.OvStorageDomain;
import io.lifeboat.simulator.ovirt.OvVm;
import io.lifeboat.simulator.ovirt.OvirtEngine;
import io.lifeboat.simulator.world.SimulatorConfig;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Builds the simulated clouds from a {@link TopologySpec}, deterministically: one {@link Random} seeded from the spec
 * drives every choice, and ids are derived from it, so a seed always gives the same ids, names, WWIDs and IPs.
 */
public final class TopologyGenerator {

    private static final long GIB = 1024L * 1024 * 1024;
    private static final String[] WATCHDOG_ACTIONS = {"reset", "poweroff", "pause", "none"};

    private final TopologySpec spec;
    private final Random rnd;
    private final Clock clock;
    private final Instant created;
    private long lunCounter;
    private int macCounter;

    private TopologyGenerator(TopologySpec spec, Clock clock) {
        this.spec = spec;
        this.rnd = new Random(spec.seed());
        this.clock = clock;
        this.created = clock.instant().minus(Duration.ofDays(30));
    }

    public static Topology generate(TopologySpec spec, Clock clock, SimulatorConfig.OpenStack os) {
        TopologyGenerator g = new TopologyGenerator(spec, clock);
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "simulator-timer");
            t.setDaemon(true);
            return t;
        });
        List<OvirtEngine> engines = new ArrayList<>();
        for (int i = 1; i <= spec.ovirtEngines(); i++) {
            engines.add(g.ovirtEngine(i));
        }
        List<OpenStackRegion> regions = new ArrayList<>();
        for (int i = 1; i <= spec.openstackRegions(); i++) {
            regions.add(g.region(i, timer, os));
        }
        // Nova's reclaim periodic task.
        timer.scheduleWithFixedDelay(() -> regions.forEach(OpenStackRegion::reclaim), 1, 1, TimeUnit.SECONDS);
        return new Topology(spec, List.copyOf(engines), List.copyOf(regions), timer);
    }

    // ------------------------------------------------------------------ oVirt

    private OvirtEngine ovirtEngine(int n) {
        String source = "ovirt-" + n;
        OvirtEngine e = new OvirtEngine(source, clock);
        OvDataCenter dc = new OvDataCenter(uuid(), "dc" + n);
        e.add(dc);
        for (int b = 1; b <= spec.blockDomainsPerEngine(); b++) {
            List<OvLun> luns = List.of(lun(2048 * GIB), lun(2048 * GIB));
            e.add(new OvStorageDomain(uuid(), "fc-data-" + b, "data", "fcp", dc.id(), volumeGroupId(), luns));
        }
        OvStorageDomain nfs = new OvStorageDomain(uuid(), "nfs-images", "data", "nfs", dc.id(), null, List.of());
        e.add(nfs);
        String imageDomain = spec.blockDomainsPerEngine() > 0 ? e.storageDomains().get(0).id() : nfs.id();

        List<OvHost> hosts = new ArrayList<>();
        for (int c = 1; c <= spec.clustersPerSource(); c++) {
            OvCluster cluster = new OvCluster(uuid(), "cl" + n + "-" + c, dc.id());
            e.add(cluster);
            for (int h = 1; h <= spec.hostsPerCluster(); h++) {
                String name = String.format("hv%d-%d-%02d", n, c, h);
                OvHost host = new OvHost(uuid(), name, name + ".dc" + n + ".example", cluster.id(),
                        name + "-" + (10_000_000 + rnd.nextInt(90_000_000)), 32, 256 * GIB, rnd.nextDouble() < 0.9);
                e.add(host);
                hosts.add(host);
            }
        }
        int vmNo = 0;
        List<OvDisk> sharedCandidates = new ArrayList<>();
        for (OvHost host : hosts) {
            List<OvHost> clusterHosts = hosts.stream().filter(h -> h.clusterId.equals(host.clusterId)).toList();
            for (int v = 0; v < spec.vmsPerHost(); v++) {
                vmNo++;
                boolean ha = rnd.nextDouble() < spec.haFraction();
                boolean pinned = rnd.nextDouble() < spec.pinnedFraction();
                boolean watchdog = rnd.nextDouble() < spec.watchdogFraction();
                boolean down = rnd.nextDouble() < spec.downFraction();
                int sockets = 1 + rnd.nextInt(2);
                int cores = 1 << rnd.nextInt(3);
                List<String> pinnedHosts = pinned ? List.of(host.id) : List.of();
                OvVm vm = new OvVm(uuid(), String.format("vm%d-%05d", n, vmNo), host.clusterId,
                        (2L << rnd.nextInt(4)) * GIB, sockets, cores, 1, ha, ha ? 1 + rnd.nextInt(100) : 0,
                        pinned ? "pinned" : (rnd.nextDouble() < 0.1 ? "user_migratable" : "migratable"), pinnedHosts,
                        ha && rnd.nextBoolean() ? "kill" : (rnd.nextBoolean() ? "auto_resume" : "leave_paused"),
                        watchdog ? "i6300esb" : null,
                        watchdog ? WATCHDOG_ACTIONS[rnd.nextInt(WATCHDOG_ACTIONS.length)] : null);
                vm.lastHostId = host.id;
                // vNUMA needs the guest pinned to its host (oVirt's rule); two-socket pinned guests get a node each
                vm.numaNodes = pinned && sockets == 2 ? 2 : 0;
                if (down) {
                    vm.status = "down";
                    vm.hostId = pinned ? host.id : null;   // a DOWN VM that is not pinned shows no host
                    vm.stopTime = created.plus(Duration.ofDays(20));
                    vm.stopReason = "shut down by the operator";
                } else {
                    vm.status = "up";
                    vm.hostId = host.id;
                    vm.startTime = created.plus(Duration.ofMinutes(rnd.nextInt(10_000)));
                }
                OvDisk boot = new OvDisk(uuid(), vm.name + "-boot", 20 * GIB, "image", imageDomain, null, null, false);
                e.add(boot);
                vm.disks.add(new OvDiskAttachment(boot, true, "virtio_scsi", "/dev/sda", true));
                for (int d = 1; d < spec.disksPerVm(); d++) {
                    String dev = "/dev/sd" + (char) ('a' + d);
                    OvDisk disk;
                    if (rnd.nextDouble() < spec.directLunFraction()) {
                        if (!sharedCandidates.isEmpty() && rnd.nextDouble() < spec.sharedLunFraction()) {
                            disk = sharedCandidates.remove(rnd.nextInt(sharedCandidates.size()));
                        } else {
                            disk = new OvDisk(uuid(), vm.name + "-lun" + d, 0, "lun", null, "fcp",
                                    lun((50L + rnd.nextInt(450)) * GIB), true);
                            e.add(disk);
                            sharedCandidates.add(disk);
                        }
                    } else {
                        disk = new OvDisk(uuid(), vm.name + "-data" + d, (10L + rnd.nextInt(190)) * GIB, "image",
                                imageDomain, null, null, false);
                        e.add(disk);
                    }
                    vm.disks.add(new OvDiskAttachment(disk, false, "virtio_scsi", dev, true));
                }
                vm.nics.add(new OvNic(uuid(), "nic1", mac(), List.of(ipv4(n, vmNo), ipv6(n, vmNo))));
                e.add(vm);
            }
        }
        if (spec.untidyFraction() > 0 && !hosts.isEmpty()) {
            new UntidyStates(spec, n).ovirt(e, hosts);
        }
        return e;
    }

    private String volumeGroupId() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 38; i++) {
            sb.append(i % 7 == 6 ? '-' : alphabet.charAt(rnd.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ OpenStack

    private OpenStackRegion region(int n, ScheduledExecutorService timer, SimulatorConfig.OpenStack os) {
        String source = "openstack-" + n;
        // Stable across reseeds, as a real project's id: clients keep tokens and catalog URLs that embed it.
        String projectId = UUID.nameUUIDFromBytes(("project:" + source).getBytes()).toString().replace("-", "");
        OpenStackRegion r = new OpenStackRegion(source, projectId, os.project(), clock, timer, os.serviceDownTime(),
                os.evacuationDuration(), os.reclaimInterval());
        List<NovaFlavor> flavors = List.of(
                new NovaFlavor("1", "m1.small", 1, 2048, 20, Map.of()),
                new NovaFlavor("2", "m1.medium", 2, 4096, 40, Map.of()),
                new NovaFlavor("3", "ha.medium", 4, 8192, 0, Map.of("hw:watchdog_action", "reset")),
                new NovaFlavor("4", "ha.large", 8, 16384, 0, Map.of("hw:watchdog_action", "poweroff",
                        "evacuable", "true")));
        flavors.forEach(r::add);
        List<GlanceImage> images = List.of(
                new GlanceImage(uuid(), "rhel9", Map.of()),
                new GlanceImage(uuid(), "rhel9-watchdog", Map.of("hw_watchdog_action", "pause")),
                new GlanceImage(uuid(), "ubuntu-22.04", Map.of()));
        images.forEach(r::add);

        List<NovaService> computes = new ArrayList<>();
        int hostNo = 0;
        for (int z = 1; z <= spec.clustersPerSource(); z++) {
            for (int h = 1; h <= spec.hostsPerCluster(); h++) {
                hostNo++;
                String host = String.format("cmp%d-%c%02d", n, (char) ('a' + z - 1), h);
                // The last host of each zone is a reserved host: disabled until a recovery enables it.
                boolean reserved = spec.hostsPerCluster() > 2 && h == spec.hostsPerCluster();
                NovaService s = new NovaService(hostNo, UUID.nameUUIDFromBytes((source + host).getBytes()).toString(),
                        host, host + ".region" + n + ".example", hostNo,
                        UUID.nameUUIDFromBytes((source + host + "hv").getBytes()).toString(), "az" + z,
                        host + "-" + (10_000_000 + rnd.nextInt(90_000_000)), 64, 256 * 1024, reserved, clock.instant());
                r.add(s);
                computes.add(s);
            }
        }
        int vmNo = 0;
        for (NovaService host : computes) {
            int count = host.reserved ? 0 : spec.vmsPerHost();
            for (int v = 0; v < count; v++) {
                vmNo++;
                NovaServer srv = new NovaServer(uuid(), String.format("srv%d-%05d", n, vmNo), projectId,
                        "u-" + hex32().substring(0, 8), String.format("instance-%08x", 0xa000 + vmNo),
                        created.plus(Duration.ofMinutes(vmNo)));
                srv.host = host.host;
                boolean watchdog = rnd.nextDouble() < spec.watchdogFraction();
                NovaFlavor flavor = watchdog ? flavors.get(2 + rnd.nextInt(2)) : flavors.get(rnd.nextInt(2));
                srv.flavorId = flavor.id();
                srv.imageId = watchdog && rnd.nextBoolean() ? images.get(1).id() : images.get(rnd.nextInt(3) == 0 ? 2 : 0).id();
                if (rnd.nextDouble() < spec.haFraction()) {
                    srv.metadata.put("ha", "true");
                    srv.metadata.put("ha_priority", Integer.toString(1 + rnd.nextInt(100)));
                    srv.tags.add("evacuable");
                }
                srv.addresses.put("private", List.of(ipv4(100 + n, vmNo)));
                double fate = rnd.nextDouble();
                if (fate < spec.softDeletedFraction()) {
                    srv.vmState = "soft-delete";
                    srv.powerState = 4;
                    srv.running = false;
                    srv.deletedAt = clock.instant().minus(Duration.ofMinutes(5));
                    srv.updatedAt = srv.deletedAt;   // Nova's "updated" is the soft-delete time
                } else if (fate < spec.softDeletedFraction() + spec.downFraction()) {
                    srv.vmState = "stopped";
                    srv.powerState = 4;
                    srv.running = false;
                }
                for (int d = 1; d < spec.disksPerVm(); d++) {
                    OvLun lun = lun((50L + rnd.nextInt(450)) * GIB);
                    String svcUid = lun.wwid().substring(1).toUpperCase();
                    CinderVolume vol = new CinderVolume(uuid(), srv.name + "-vol" + d, (int) (lun.sizeBytes() / GIB),
                            projectId, "ctl@svc#Pool0", svcUid, false);
                    vol.status = "in-use";
                    vol.serverId = srv.id;
                    vol.attachmentId = uuid();
                    vol.attachedHost = host.host;
                    vol.device = "/dev/vd" + (char) ('a' + d);
                    vol.attachedAt = srv.createdAt.plusSeconds(60);
                    r.add(vol);
                    srv.volumeIds.add(vol.id);
                }
                srv.availabilityZone = host.zone;
                r.add(srv);
            }
        }
        if (spec.untidyFraction() > 0) {
            new UntidyStates(spec, n).openstack(r, computes);
        }
        return r;
    }

    // ------------------------------------------------------------------ values

    private String uuid() {
        return new UUID((rnd.nextLong() & 0xffffffffffff0fffL) | 0x4000L,
                (rnd.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L).toString();
    }

    private String hex32() {
        return uuid().replace("-", "");
    }

    /** An IBM SVC LUN: NAA 6 with IBM's OUI 005076, as multipath shows it ('3' + lower-case UID). */
    private OvLun lun(long size) {
        long n = ++lunCounter;
        String uid = String.format("600507680c8081b2e8%014x", (spec.seed() & 0xffff) << 32 | n);
        return new OvLun("3" + uid, "IBM", "2145", "SIBM_2145_" + uid.substring(18), size, (int) (n % 255),
                4);
    }

    private String mac() {
        int m = ++macCounter;
        return String.format("56:6f:%02x:%02x:%02x:%02x", (spec.seed() & 0xff), (m >> 16) & 0xff, (m >> 8) & 0xff,
                m & 0xff);
    }

    private static String ipv4(int net, int n) {
        return String.format("10.%d.%d.%d", net, (n / 250) % 250, 1 + n % 250);
    }

    private static String ipv6(int net, int n) {
        return String.format("fd00:%x::%x", net, n);
    }
}
