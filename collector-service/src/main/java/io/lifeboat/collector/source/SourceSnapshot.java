package io.lifeboat.collector.source;

import io.lifeboat.common.inventory.HostState;
import io.lifeboat.common.inventory.StorageDomainState;
import io.lifeboat.common.inventory.VmState;

import java.util.List;

/**
 * What one inventory cycle read from a source. A part that could not be read completely is marked incomplete: the
 * collector then publishes what it did read but removes nothing of that kind ("never everything disappeared").
 */
public record SourceSnapshot(List<HostState> hosts, boolean hostsComplete, List<VmState> vms, boolean vmsComplete,
                             List<StorageDomainState> storageDomains, boolean storageDomainsComplete,
                             List<String> errors) {

    public boolean complete() {
        return hostsComplete && vmsComplete && storageDomainsComplete;
    }

    public boolean nothingRead() {
        return !hostsComplete && !vmsComplete && hosts.isEmpty() && vms.isEmpty();
    }
}
