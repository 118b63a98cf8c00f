package io.lifeboat.evacuation.forecast;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * "If this host failed now, where would each of its instances go, and which would not fit": Nova's decisions for the
 * instances a recovery would evacuate, in the order it would evacuate them (research: failover-plan). Pure: the
 * callers read the cloud.
 *
 * <p>Each instance is one scheduling request, placed after the ones before it (each consumes what it is given). A
 * request names a reserved host while it has attempts for one (attempt N: the N-th reserved host other than the failed
 * one, enabled by the recovery when first used), else goes to Nova's scheduler: every other compute that is up and
 * enabled (and the reserved hosts already used), filtered by placement's capacity check, {@code used + asked <= (total -
 * reserved) * allocation_ratio} for VCPU and MEMORY_MB with {@code max_unit} the host's total, the one with the most
 * free RAM winning (RAMWeigher, then CPUWeigher). A request nothing accepts ends in ERROR (NoValidHost); the scheduler
 * answers the next attempts the same, so it stays unplaced.
 */
public final class FailoverPlanner {

    private FailoverPlanner() {
    }

    /** A compute's capacity and use, as the hypervisor API shows them ({@code memoryMbUsed} with the reserved memory). */
    public record Compute(String host, boolean up, boolean enabled, int vcpus, int vcpusUsed, long memoryMb,
                          long memoryMbUsed) {
    }

    /** nova.conf's ratios and reserved memory. */
    public record Ratios(double cpu, double ram, int reservedHostMemoryMb) {
    }

    /** An instance a recovery would evacuate, in its order; vcpus/ramMb -1 when its flavor is unknown. */
    public record Instance(String vmId, String name, int vcpus, int ramMb) {
    }

    /** Where one instance would go: {@code target} null when nothing would accept it, with the reason. */
    public record Placement(String vmId, String name, int vcpus, int ramMb, String target, String reason) {
        public boolean placed() {
            return target != null;
        }
    }

    public static List<Placement> plan(String failedHost, List<Instance> instances, List<Compute> computes,
                                       List<String> reservedHosts, int maxAttempts, Ratios ratios) {
        return plan(failedHost, instances, computes, reservedHosts, maxAttempts, ratios, true);
    }

    /**
     * @param enabledByRun whether the run enables the named hosts (configured reserved hosts) or they must be enabled
     *                     already (an operator's target)
     */
    public static List<Placement> plan(String failedHost, List<Instance> instances, List<Compute> computes,
                                       List<String> reservedHosts, int maxAttempts, Ratios ratios,
                                       boolean enabledByRun) {
        Map<String, Room> rooms = new LinkedHashMap<>();
        for (Compute c : computes) {
            if (!c.host().equals(failedHost)) {
                rooms.put(c.host(), new Room(c, ratios));
            }
        }
        List<String> reserved = reservedHosts.stream().filter(h -> !h.equals(failedHost)).toList();
        List<Placement> out = new ArrayList<>();
        for (Instance i : instances) {
            if (i.vcpus() < 0 || i.ramMb() < 0) {
                out.add(new Placement(i.vmId(), i.name(), i.vcpus(), i.ramMb(), null, "its flavor is unknown (deleted"
                        + " before microversion 2.47 shows it): its size cannot be checked"));
                continue;
            }
            String target = null;
            List<String> refused = new ArrayList<>();
            for (int attempt = 0; attempt < Math.max(1, maxAttempts) && target == null; attempt++) {
                if (attempt < reserved.size()) {
                    String r = reserved.get(attempt);
                    Room room = rooms.get(r);
                    if (room != null && enabledByRun) {
                        room.used = true;   // enabled by the recovery for this request
                    }
                    boolean enabled = room != null && (enabledByRun || room.c.enabled());
                    if (room != null && room.c.up() && enabled && room.fits(i)) {
                        target = r;
                    } else {
                        refused.add((enabledByRun ? "reserved host " : "target host ") + r + (room == null
                                ? " is unknown to Nova" : !room.c.up() ? " is down" : !enabled ? " is disabled"
                                : " has no room (" + room.free() + ")"));
                    }
                } else {
                    Optional<Room> best = rooms.values().stream()
                            .filter(x -> x.c.up() && (x.c.enabled() || x.used))
                            .filter(x -> x.fits(i))
                            .max(Comparator.comparingLong(Room::freeRamMb).thenComparingDouble(Room::freeVcpus)
                                    .thenComparing(Comparator.comparing((Room x) -> x.c.host()).reversed()));
                    if (best.isPresent()) {
                        target = best.get().c.host();
                    } else {
                        refused.add("the scheduler: no up, enabled compute has room (" + largest(rooms) + ")");
                        break;   // every further attempt asks the scheduler the same
                    }
                }
            }
            if (target != null) {
                rooms.get(target).take(i);
                out.add(new Placement(i.vmId(), i.name(), i.vcpus(), i.ramMb(), target, null));
            } else {
                out.add(new Placement(i.vmId(), i.name(), i.vcpus(), i.ramMb(), null, "needs " + i.vcpus()
                        + " vCPU and " + i.ramMb() + " MiB: " + String.join("; ", refused)));
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ oVirt

    /** An oVirt host: its cluster, whether it is Up, its {@code max_scheduling_memory} in MiB. */
    public record EngineHost(String id, String name, String clusterId, boolean up, long maxSchedulingMb) {
    }

    /**
     * A VM to start elsewhere, in the order it would be started; memoryMb/vcpus -1 when unknown; {@code pinnedTo} the
     * only hosts it may run on (empty: any).
     */
    public record EngineVm(String vmId, String name, String clusterId, long memoryMb, int vcpus,
                           List<String> pinnedTo) {
    }

    /**
     * What the engine's memory filter asks for a VM (ovirt-engine {@code VmOverheadCalculatorImpl}, x86): its memory,
     * the static overhead {@code memory/512 + 64} and 8 MiB per vCPU (video RAM and I/O threads not counted).
     */
    public static long requiredMb(long memoryMb, int vcpus) {
        return memoryMb + memoryMb / 512 + 64 + 8L * vcpus;
    }

    /**
     * oVirt: each VM of the failed host started by the engine's scheduler (the HA ones by the engine itself, by
     * priority, then the others by Lifeboat), one after the other: an Up host of its cluster whose {@code
     * max_scheduling_memory} holds what it needs, the one with the most winning (the cluster policies spread by
     * memory); a VM pinned to hosts only on those. Not modelled: affinity groups, CPU load, hugepages. {@code target} is
     * the host's name.
     */
    public static List<Placement> ovirt(String failedHostId, List<EngineVm> vms, List<EngineHost> hosts) {
        Map<String, long[]> room = new LinkedHashMap<>();
        for (EngineHost h : hosts) {
            room.put(h.id(), new long[] {h.maxSchedulingMb()});
        }
        List<Placement> out = new ArrayList<>();
        for (EngineVm vm : vms) {
            if (vm.memoryMb() < 0 || vm.vcpus() < 0) {
                out.add(new Placement(vm.vmId(), vm.name(), vm.vcpus(), (int) vm.memoryMb(), null, "its memory or CPU"
                        + " topology is unknown: its size cannot be checked"));
                continue;
            }
            long need = requiredMb(vm.memoryMb(), vm.vcpus());
            List<EngineHost> candidates = hosts.stream().filter(h -> !h.id().equals(failedHostId) && h.up()
                    && h.clusterId() != null && h.clusterId().equals(vm.clusterId())
                    && (vm.pinnedTo().isEmpty() || vm.pinnedTo().contains(h.id()))).toList();
            Optional<EngineHost> best = candidates.stream().filter(h -> room.get(h.id())[0] >= need)
                    .max(Comparator.comparingLong((EngineHost h) -> room.get(h.id())[0])
                            .thenComparing(Comparator.comparing(EngineHost::name).reversed()));
            if (best.isPresent()) {
                room.get(best.get().id())[0] -= need;
                out.add(new Placement(vm.vmId(), vm.name(), vm.vcpus(), (int) need, best.get().name(), null));
            } else {
                String most = candidates.stream().max(Comparator.comparingLong(h -> room.get(h.id())[0]))
                        .map(h -> "the most: " + h.name() + " with " + room.get(h.id())[0] + " MiB")
                        .orElse(vm.pinnedTo().isEmpty() ? "no other host of its cluster is Up"
                                : "it is pinned to hosts none of which is Up");
                out.add(new Placement(vm.vmId(), vm.name(), vm.vcpus(), (int) need, null, "needs " + need + " MiB"
                        + " (memory and overhead): no Up host of its cluster has that much max_scheduling_memory ("
                        + most + ")"));
            }
        }
        return out;
    }

    private static String largest(Map<String, Room> rooms) {
        return rooms.values().stream().filter(x -> x.c.up() && (x.c.enabled() || x.used))
                .max(Comparator.comparingLong(Room::freeRamMb))
                .map(x -> "the most free: " + x.c.host() + " with " + x.free()).orElse("none is up and enabled");
    }

    /** What is left of one compute while the instances are placed one by one. */
    private static final class Room {
        final Compute c;
        final Ratios ratios;
        int vcpusUsed;
        long memoryUsed;    // placement's used: without the reserved memory
        boolean used;

        Room(Compute c, Ratios ratios) {
            this.c = c;
            this.ratios = ratios;
            this.vcpusUsed = c.vcpusUsed();
            this.memoryUsed = Math.max(0, c.memoryMbUsed() - ratios.reservedHostMemoryMb());
        }

        boolean fits(Instance i) {
            return i.vcpus() <= c.vcpus() && i.ramMb() <= c.memoryMb()
                    && vcpusUsed + i.vcpus() <= c.vcpus() * ratios.cpu()
                    && memoryUsed + i.ramMb() <= (c.memoryMb() - ratios.reservedHostMemoryMb()) * ratios.ram();
        }

        void take(Instance i) {
            vcpusUsed += i.vcpus();
            memoryUsed += i.ramMb();
        }

        /** RAMWeigher's {@code free_ram_mb}: without the ratio. */
        long freeRamMb() {
            return c.memoryMb() - ratios.reservedHostMemoryMb() - memoryUsed;
        }

        double freeVcpus() {
            return c.vcpus() * ratios.cpu() - vcpusUsed;
        }

        String free() {
            long ram = (long) ((c.memoryMb() - ratios.reservedHostMemoryMb()) * ratios.ram()) - memoryUsed;
            return (long) freeVcpus() + " vCPU and " + ram + " MiB free";
        }
    }
}
