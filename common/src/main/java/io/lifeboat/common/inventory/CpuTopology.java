package io.lifeboat.common.inventory;

import io.lifeboat.common.Nullable;

/**
 * The guest's virtual CPU topology and, where the platform defines one, its virtual NUMA node count.
 * <ul>
 *   <li>oVirt: the VM's {@code cpu.topology} and the number of its virtual NUMA nodes ({@code vms/{id}/numanodes}).</li>
 *   <li>OpenStack: what Nova's libvirt driver gives the guest: the flavor's {@code hw:cpu_sockets/cores/threads}
 *       (and {@code hw:cpu_max_*}), overridden as a whole by the image's {@code hw_cpu_*}, otherwise the vCPUs as
 *       that many one-core sockets; the NUMA nodes from {@code hw:numa_nodes} or the image's
 *       {@code hw_numa_nodes}.</li>
 * </ul>
 *
 * @param numaNodes the guest NUMA nodes the platform was asked for; null when it defines no NUMA topology (the guest
 *                  then sees one node)
 */
public record CpuTopology(int sockets, int cores, int threads, @Nullable Integer numaNodes) {
    public CpuTopology {
        if (sockets < 1 || cores < 1 || threads < 1) {
            throw new IllegalArgumentException("CPU topology needs at least 1 socket, core and thread, was "
                    + sockets + "x" + cores + "x" + threads);
        }
        if (numaNodes != null && numaNodes < 1) {
            throw new IllegalArgumentException("a NUMA topology needs at least 1 node, was " + numaNodes);
        }
    }

    /** A topology without a NUMA layout. */
    public CpuTopology(int sockets, int cores, int threads) {
        this(sockets, cores, threads, null);
    }

    /** sockets × cores × threads, as the operators' export shows it. */
    public int vcpus() {
        return sockets * cores * threads;
    }
}
