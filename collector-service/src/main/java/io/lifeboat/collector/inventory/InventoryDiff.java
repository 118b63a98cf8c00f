package io.lifeboat.collector.inventory;

import io.lifeboat.common.change.DiskAttached;
import io.lifeboat.common.change.DiskDetached;
import io.lifeboat.common.change.HostStatusChanged;
import io.lifeboat.common.change.SignalSource;
import io.lifeboat.common.change.VmDiscovered;
import io.lifeboat.common.change.VmMovedHost;
import io.lifeboat.common.change.VmRemoved;
import io.lifeboat.common.change.VmStatusChanged;
import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.inventory.HostState;
import io.lifeboat.common.inventory.StorageDomainState;
import io.lifeboat.common.inventory.VmDisk;
import io.lifeboat.common.inventory.VmState;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What to publish after reading a source: compares what was read with what was last published. States are published
 * when their fingerprint changed (or on a full republish); removals only when that kind was read completely; and one
 * change event per transition: host status, VM discovered / status / host / disks, VM removed.
 */
final class InventoryDiff {

    /** What to publish and store. */
    record Result(List<HostState> hosts, List<VmState> vms, List<StorageDomainState> storageDomains,
                  List<String> removedHosts, List<String> removedVms, List<String> removedStorageDomains,
                  List<Object> changes) {

        boolean isEmpty() {
            return hosts.isEmpty() && vms.isEmpty() && storageDomains.isEmpty() && removedHosts.isEmpty()
                    && removedVms.isEmpty() && removedStorageDomains.isEmpty() && changes.isEmpty();
        }
    }

    private InventoryDiff() {
    }

    /**
     * @param hostsComplete   whether {@code hosts} is every host of the source (then missing ones are removed)
     * @param republishAll    publish every state even if unchanged (periodic refresh of the compacted topics)
     */
    static Result diff(Known known, List<HostState> hosts, boolean hostsComplete, SignalSource hostSignal,
                       List<VmState> vms, boolean vmsComplete, SignalSource vmSignal,
                       List<StorageDomainState> domains, boolean domainsComplete, boolean republishAll, Instant now) {
        return diff(known, hosts, hostsComplete, hostSignal, vms, vmsComplete, vmSignal, domains, domainsComplete,
                Set.of(), republishAll, now);
    }

    /**
     * @param standing keys of items that were listed but could not be read this time: not removed, their last known
     *                 state stands
     */
    static Result diff(Known known, List<HostState> hosts, boolean hostsComplete, SignalSource hostSignal,
                       List<VmState> vms, boolean vmsComplete, SignalSource vmSignal,
                       List<StorageDomainState> domains, boolean domainsComplete, Set<String> standing,
                       boolean republishAll, Instant now) {
        List<HostState> hostUpdates = new ArrayList<>();
        List<VmState> vmUpdates = new ArrayList<>();
        List<StorageDomainState> domainUpdates = new ArrayList<>();
        List<String> removedHosts = new ArrayList<>();
        List<String> removedVms = new ArrayList<>();
        List<String> removedDomains = new ArrayList<>();
        List<Object> changes = new ArrayList<>();

        Map<String, HostState> seenHosts = new LinkedHashMap<>();
        for (HostState h : hosts) {
            String key = h.host().toString();
            seenHosts.put(key, h);
            Known.Entry<HostState> k = known.hosts().get(key);
            if (k == null) {
                hostUpdates.add(h);
                changes.add(new HostStatusChanged(h.host(), h.name(), null, h.status(), null, h.platformStatus(),
                        h.statusDetail(), hostSignal, h.observedAt()));
                continue;
            }
            if (republishAll || !k.fingerprint().equals(Fingerprints.of(h))) {
                hostUpdates.add(h);
            }
            HostState old = k.state();
            if (old.status() != h.status() || !old.platformStatus().equals(h.platformStatus())) {
                changes.add(new HostStatusChanged(h.host(), h.name(), old.status(), h.status(), old.platformStatus(),
                        h.platformStatus(), h.statusDetail(), hostSignal, h.observedAt()));
            }
        }
        if (hostsComplete) {
            for (String key : known.hosts().keySet()) {
                if (!seenHosts.containsKey(key) && !standing.contains(key)) {
                    removedHosts.add(key);
                }
            }
        }

        Map<String, VmState> seenVms = new LinkedHashMap<>();
        for (VmState v : vms) {
            String key = v.vm().toString();
            seenVms.put(key, v);
            Known.Entry<VmState> k = known.vms().get(key);
            if (k == null) {
                vmUpdates.add(v);
                changes.add(new VmDiscovered(v.vm(), v.name(), hostOf(v), v.status(), v.observedAt()));
                continue;
            }
            boolean changed = !k.fingerprint().equals(Fingerprints.of(v));
            if (republishAll || changed) {
                vmUpdates.add(v);
            }
            if (changed) {
                vmChanges(k.state(), v, vmSignal, changes);
            }
        }
        if (vmsComplete) {
            for (Map.Entry<String, Known.Entry<VmState>> e : known.vms().entrySet()) {
                if (!seenVms.containsKey(e.getKey()) && !standing.contains(e.getKey())) {
                    VmState gone = e.getValue().state();
                    removedVms.add(e.getKey());
                    changes.add(new VmRemoved(gone.vm(), gone.name(), hostOf(gone), now));
                }
            }
        }

        Map<String, StorageDomainState> seenDomains = new LinkedHashMap<>();
        for (StorageDomainState d : domains) {
            String key = d.domain().toString();
            seenDomains.put(key, d);
            Known.Entry<StorageDomainState> k = known.storageDomains().get(key);
            if (k == null || republishAll || !k.fingerprint().equals(Fingerprints.of(d))) {
                domainUpdates.add(d);
            }
        }
        if (domainsComplete) {
            for (String key : known.storageDomains().keySet()) {
                if (!seenDomains.containsKey(key) && !standing.contains(key)) {
                    removedDomains.add(key);
                }
            }
        }
        return new Result(hostUpdates, vmUpdates, domainUpdates, removedHosts, removedVms, removedDomains, changes);
    }

    private static void vmChanges(VmState old, VmState v, SignalSource signal, List<Object> changes) {
        if (old.status() != v.status() || !old.platformStatus().equals(v.platformStatus())
                || !Objects.equals(old.statusDetail(), v.statusDetail())) {
            changes.add(new VmStatusChanged(v.vm(), v.name(), hostOf(v), old.status(), v.status(), v.platformStatus(),
                    v.statusDetail(), signal, v.observedAt()));
        }
        HostKey from = hostOf(old);
        HostKey to = hostOf(v);
        if (!Objects.equals(from, to)) {
            changes.add(new VmMovedHost(v.vm(), v.name(), from, to, v.observedAt()));
        }
        Map<String, VmDisk> before = byId(old.disks());
        Map<String, VmDisk> after = byId(v.disks());
        for (Map.Entry<String, VmDisk> e : before.entrySet()) {
            VmDisk now = after.get(e.getKey());
            if (now == null || !sameLun(e.getValue(), now)) {
                changes.add(new DiskDetached(v.vm(), v.name(), hostOf(old), e.getValue(), v.observedAt()));
            }
        }
        for (Map.Entry<String, VmDisk> e : after.entrySet()) {
            VmDisk was = before.get(e.getKey());
            if (was == null || !sameLun(was, e.getValue())) {
                changes.add(new DiskAttached(v.vm(), v.name(), to, e.getValue(), v.observedAt()));
            }
        }
    }

    private static boolean sameLun(VmDisk a, VmDisk b) {
        return Objects.equals(a.lun() == null ? null : a.lun().id(), b.lun() == null ? null : b.lun().id())
                && a.storageType() == b.storageType();
    }

    private static Map<String, VmDisk> byId(List<VmDisk> disks) {
        Map<String, VmDisk> m = new LinkedHashMap<>();
        disks.forEach(d -> m.put(d.id(), d));
        return m;
    }

    static HostKey hostOf(VmState v) {
        return v.host() == null ? null : v.host().key();
    }
}
