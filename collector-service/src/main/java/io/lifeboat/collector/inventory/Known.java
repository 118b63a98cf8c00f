package io.lifeboat.collector.inventory;

import io.lifeboat.common.inventory.HostState;
import io.lifeboat.common.inventory.StorageDomainState;
import io.lifeboat.common.inventory.VmState;

import java.util.Map;

/** The last published state of a source's hosts, VMs and storage domains, by key, with fingerprints. */
record Known(Map<String, Entry<HostState>> hosts, Map<String, Entry<VmState>> vms,
             Map<String, Entry<StorageDomainState>> storageDomains) {

    record Entry<T>(String fingerprint, T state) {
    }

    static Known empty() {
        return new Known(Map.of(), Map.of(), Map.of());
    }
}
