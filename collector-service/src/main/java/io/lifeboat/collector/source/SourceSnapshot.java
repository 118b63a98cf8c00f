package io.lifeboat.collector.source;

import io.lifeboat.common.inventory.HostState;
import io.lifeboat.common.inventory.StorageDomainState;
import io.lifeboat.common.inventory.VmState;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What one inventory cycle read from a source. A part that could not be read completely is marked incomplete: the
 * collector then publishes what it did read but removes nothing of that kind ("never everything disappeared"). An
 * item that could not be read alone is {@code skipped}: the rest of its kind is published and may remove what is
 * gone, but the skipped item's last known state stands.
 */
public record SourceSnapshot(List<HostState> hosts, boolean hostsComplete, List<VmState> vms, boolean vmsComplete,
                             List<StorageDomainState> storageDomains, boolean storageDomainsComplete,
                             List<String> errors, List<SkippedItem> skipped) {

    public SourceSnapshot(List<HostState> hosts, boolean hostsComplete, List<VmState> vms, boolean vmsComplete,
                          List<StorageDomainState> storageDomains, boolean storageDomainsComplete,
                          List<String> errors) {
        this(hosts, hostsComplete, vms, vmsComplete, storageDomains, storageDomainsComplete, errors, List.of());
    }

    public boolean complete() {
        return hostsComplete && vmsComplete && storageDomainsComplete && skipped.isEmpty();
    }

    public boolean nothingRead() {
        return !hostsComplete && !vmsComplete && hosts.isEmpty() && vms.isEmpty();
    }

    /** The keys of skipped items of these kinds: their last known state stands, they are not removed. */
    public Set<String> standing(String... kinds) {
        Set<String> k = Set.of(kinds);
        return skipped.stream().filter(s -> k.contains(s.kind()) && s.key() != null).map(SkippedItem::key)
                .collect(Collectors.toSet());
    }
}
