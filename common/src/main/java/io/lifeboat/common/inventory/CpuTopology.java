package io.lifeboat.common.inventory;

/** Virtual CPU topology; Nova flavors report only vCPUs, taken as that many sockets of one core and one thread. */
public record CpuTopology(int sockets, int cores, int threads) {
    public CpuTopology {
        if (sockets < 1 || cores < 1 || threads < 1) {
            throw new IllegalArgumentException("CPU topology needs at least 1 socket, core and thread, was "
                    + sockets + "x" + cores + "x" + threads);
        }
    }

    /** sockets × cores × threads, as the operators' export shows it. */
    public int vcpus() {
        return sockets * cores * threads;
    }
}
