package io.lifeboat.collector.source;

import io.lifeboat.common.change.SignalSource;
import io.lifeboat.common.inventory.HostState;
import io.lifeboat.common.inventory.VmState;

import java.util.List;

/**
 * Hosts and VMs re-read because a fast signal said they changed (an oVirt event, a Nova service state, a server saved
 * since the last poll), how each was learnt, the cursor to resume from, and the items that could not be read (left
 * to the next poll or cycle; the cursor still moves past them).
 */
public record SignalBatch(SignalSource hostSignal, SignalSource vmSignal, List<HostState> hosts, List<VmState> vms,
                          String nextCursor, List<SkippedItem> skipped) {

    public SignalBatch(SignalSource hostSignal, SignalSource vmSignal, List<HostState> hosts, List<VmState> vms,
                       String nextCursor) {
        this(hostSignal, vmSignal, hosts, vms, nextCursor, List.of());
    }
}
