package io.lifeboat.collector.source.openstack;

import io.lifeboat.common.inventory.CpuTopology;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The CPU topology and NUMA node count Nova's libvirt driver gives a guest, from the flavor's extra specs and the
 * image's properties, as {@code nova/virt/hardware.py} computes them ({@code get_cpu_topology_constraints},
 * {@code _get_possible_cpu_topologies}, {@code _sort_possible_cpu_topologies},
 * {@code _get_numa_node_count_constraint}):
 * <ul>
 *   <li>The limits are the image's {@code hw_cpu_max_*}, else the flavor's {@code hw:cpu_max_*}, else unlimited; an
 *       image limit above the flavor's is refused. A flavor preference above a limit is dropped.</li>
 *   <li>The preferred {@code sockets/cores/threads} come from the image as a whole when it sets any of them (one image
 *       value discards all of the flavor's), else from the flavor.</li>
 *   <li>Every sockets × cores × threads equal to the vCPUs within the limits is a candidate, ordered by sockets × cores,
 *       then sockets, then threads, largest first; the first of those matching the most preferred values wins. With no
 *       preference at all that is the vCPUs as one-core sockets.</li>
 *   <li>NUMA nodes: {@code hw:numa_nodes}, or the image's {@code hw_numa_nodes} when the flavor sets none; a guest with
 *       pinned CPUs ({@code hw:cpu_policy} dedicated or mixed) or an explicit page size gets one node.</li>
 * </ul>
 * Where Nova would have refused to boot the server (a non-integer or negative value, an image beyond the flavor's
 * limits, no topology fitting the vCPUs), the guest never got a topology of its own: the vCPUs are reported as one-core
 * sockets rather than the whole server being left out.
 */
final class NovaCpuTopology {

    private static final int UNLIMITED = 65536;

    private NovaCpuTopology() {
    }

    static CpuTopology of(int vcpus, Map<String, String> flavor, Map<String, String> image) {
        if (vcpus < 1) {
            return null;
        }
        Integer numa = numaNodes(flavor, image);
        try {
            int[] best = best(vcpus, flavor, image);
            return best == null ? new CpuTopology(vcpus, 1, 1, numa) : new CpuTopology(best[0], best[1], best[2], numa);
        } catch (IllegalArgumentException e) {
            return new CpuTopology(vcpus, 1, 1, numa);
        }
    }

    /** sockets, cores, threads; null where Nova would refuse the combination. */
    private static int[] best(int vcpus, Map<String, String> flavor, Map<String, String> image) {
        int[] flavorMax = triple(flavor, "hw:cpu_max_");
        int[] imageMax = triple(image, "hw_cpu_max_");
        int[] max = new int[3];
        for (int i = 0; i < 3; i++) {
            if (flavorMax[i] > 0 && imageMax[i] > flavorMax[i]) {
                return null;   // ImageVCPULimitsRangeExceeded
            }
            max[i] = imageMax[i] > 0 ? imageMax[i] : flavorMax[i] > 0 ? flavorMax[i] : UNLIMITED;
        }
        int[] flavorPref = triple(flavor, "hw:cpu_");
        int[] imagePref = triple(image, "hw_cpu_");
        for (int i = 0; i < 3; i++) {
            if (flavorPref[i] > max[i]) {
                flavorPref = new int[3];
                break;
            }
        }
        for (int i = 0; i < 3; i++) {
            if (imagePref[i] > max[i]) {
                return null;   // ImageVCPUTopologyRangeExceeded
            }
        }
        int[] preferred = imagePref[0] > 0 || imagePref[1] > 0 || imagePref[2] > 0 ? imagePref : flavorPref;

        List<int[]> possible = new ArrayList<>();
        for (int s = 1; s <= Math.min(vcpus, max[0]); s++) {
            if (vcpus % s != 0) {
                continue;
            }
            for (int c = 1; c <= Math.min(vcpus / s, max[1]); c++) {
                if ((vcpus / s) % c != 0) {
                    continue;
                }
                int t = vcpus / s / c;
                if (t <= max[2]) {
                    possible.add(new int[]{s, c, t});
                }
            }
        }
        if (possible.isEmpty()) {
            return null;   // ImageVCPULimitsRangeImpossible
        }
        possible.sort(Comparator.<int[]>comparingInt(x -> x[0] * x[1]).thenComparingInt(x -> x[0])
                .thenComparingInt(x -> x[2]).reversed());
        int[] best = possible.get(0);
        int bestScore = -1;
        for (int[] p : possible) {   // stable: among equal scores the earlier one stays
            int score = 0;
            for (int i = 0; i < 3; i++) {
                if (preferred[i] > 0 && p[i] == preferred[i]) {
                    score++;
                }
            }
            if (score > bestScore) {
                best = p;
                bestScore = score;
            }
        }
        return best;
    }

    private static int[] triple(Map<String, String> props, String prefix) {
        return new int[]{count(props.get(prefix + "sockets")), count(props.get(prefix + "cores")),
                count(props.get(prefix + "threads"))};
    }

    /** 0 when unset; a value Nova refuses throws. */
    private static int count(String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        int n = Integer.parseInt(value.strip());   // NumberFormatException is an IllegalArgumentException
        if (n < 0) {
            throw new IllegalArgumentException("negative: " + value);
        }
        return n;
    }

    static Integer numaNodes(Map<String, String> flavor, Map<String, String> image) {
        Integer flavorNodes = positive(flavor.get("hw:numa_nodes"));
        Integer imageNodes = positive(image.get("hw_numa_nodes"));
        // Both set: Nova refuses the boot (ImageNUMATopologyForbidden); the flavor is the operator's word.
        Integer nodes = flavorNodes != null ? flavorNodes : imageNodes;
        if (nodes != null) {
            return nodes;
        }
        String policy = first(flavor.get("hw:cpu_policy"), image.get("hw_cpu_policy"));
        String pageSize = first(flavor.get("hw:mem_page_size"), image.get("hw_mem_page_size"));
        boolean pinned = policy != null && (policy.equals("dedicated") || policy.equals("mixed"));
        return pinned || pageSize != null ? 1 : null;
    }

    private static String first(String a, String b) {
        String v = a != null && !a.isBlank() ? a : b != null && !b.isBlank() ? b : null;
        return v == null ? null : v.strip().toLowerCase(Locale.ROOT);
    }

    private static Integer positive(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            int n = Integer.parseInt(value.strip());
            return n >= 1 ? n : null;   // InvalidNUMANodesNumber
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
