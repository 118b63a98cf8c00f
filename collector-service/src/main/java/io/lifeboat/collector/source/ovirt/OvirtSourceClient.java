package io.lifeboat.collector.source.ovirt;

import io.lifeboat.collector.config.CollectorConfig;
import io.lifeboat.cloud.CloudCallException;
import io.lifeboat.cloud.CloudCalls;
import io.lifeboat.cloud.ovirt.OvirtConnection;
import io.lifeboat.collector.source.Items;
import io.lifeboat.collector.source.SignalBatch;
import io.lifeboat.collector.source.SourceClient;
import io.lifeboat.collector.source.SourceSnapshot;
import io.lifeboat.common.change.SignalSource;
import io.lifeboat.common.id.SourceId;
import io.lifeboat.common.inventory.ClusterRef;
import io.lifeboat.common.inventory.HostState;
import io.lifeboat.common.inventory.StorageDomainState;
import io.lifeboat.common.inventory.VmState;
import org.jboss.logging.Logger;
import org.ovirt.engine.sdk4.types.Cluster;
import org.ovirt.engine.sdk4.types.Event;
import org.ovirt.engine.sdk4.types.Host;
import org.ovirt.engine.sdk4.types.StorageDomain;
import org.ovirt.engine.sdk4.types.Vm;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An oVirt engine through the Java SDK. A cycle costs one call per page of VMs (disks, LUNs, NICs, guest IPs and
 * watchdogs inlined with {@code follow=}) plus one each for hosts, clusters and storage domains: proportional to
 * pages, never to VMs or disks. Fast signals come from the events feed ({@code /events?from=}).
 */
public final class OvirtSourceClient implements SourceClient {

    private static final Logger LOG = Logger.getLogger(OvirtSourceClient.class);
    static final String VM_FOLLOW = "disk_attachments.disk,nics,reported_devices,watchdogs";

    /** Host-related AuditLogType codes (wire-formats.md D.5) that make us re-read the host. */
    private static final Set<Integer> HOST_CODES = Set.of(12, 13, 14, 15, 16, 19, 41, 121, 122, 494, 539, 9002, 9008,
            9015, 9017, 9018, 9019, 9027, 9028);
    /** VM-related codes that make us re-read the VM (506: the engine restarts an HA VM after its host's fence). */
    private static final Set<Integer> VM_CODES = Set.of(61, 62, 63, 65, 119, 120, 126, 138, 139, 142, 143, 145, 146,
            153, 196, 506, 507, 1025, 9602, 9603, 9605, 9901);

    private final SourceId source;
    private final CollectorConfig.Source config;
    private final OvirtConnection engine;
    private final Clock clock;
    private final Map<String, ClusterRef> clusters = new HashMap<>();
    private final Map<String, String> hostNames = new HashMap<>();

    public OvirtSourceClient(SourceId source, CollectorConfig.Source config, CloudCalls calls, Clock clock) {
        this.source = source;
        this.config = config;
        this.engine = new OvirtConnection(source.toString(), config, config.callTimeout(), calls);
        this.clock = clock;
    }


    @Override
    public SourceSnapshot readInventory() {
        Instant at = clock.instant();
        Items items = new Items(source);
        List<String> errors = new ArrayList<>();
        List<HostState> hosts = new ArrayList<>();
        List<VmState> vms = new ArrayList<>();
        List<StorageDomainState> domains = new ArrayList<>();
        boolean hostsOk = false;
        boolean vmsOk = false;
        boolean domainsOk = false;
        try {
            List<Cluster> cl = engine.idempotent("list clusters", c ->
                    c.systemService().clustersService().list().send().clusters());
            clusters.clear();
            cl.forEach(c -> clusters.put(c.id(), new ClusterRef(c.id(), c.name())));
        } catch (RuntimeException e) {
            errors.add(e.getMessage());
            reconnectAfter(e);
        }
        try {
            List<Host> hs = engine.idempotent("list hosts", c ->
                    c.systemService().hostsService().list().send().hosts());
            hostNames.clear();
            for (Host h : hs) {
                if (h.id() != null) {
                    hostNames.put(h.id(), h.name());
                }
                items.read("host", h.id(), () -> OvirtMapping.host(source, h, clusters, at), hosts::add);
            }
            hostsOk = items.allKeyed("host");
        } catch (RuntimeException e) {
            errors.add(e.getMessage());
            reconnectAfter(e);
        }
        try {
            List<StorageDomain> sds = engine.idempotent("list storage domains", c ->
                    c.systemService().storageDomainsService().list().send().storageDomains());
            for (StorageDomain sd : sds) {
                items.read("storage-domain", sd.id(), () -> OvirtMapping.storageDomain(source, sd, at), domains::add);
            }
            domainsOk = items.allKeyed("storage-domain");
        } catch (RuntimeException e) {
            errors.add(e.getMessage());
            reconnectAfter(e);
        }
        java.util.Set<String> seenVms = new java.util.HashSet<>();
        try {
            int pageSize = config.pageSize();
            for (int page = 1; ; page++) {
                int p = page;
                List<Vm> batch = engine.idempotent("list VMs page " + p, c -> c.systemService().vmsService()
                        .list().follow(VM_FOLLOW).search("page " + p).max(pageSize).send().vms());
                for (Vm v : batch) {
                    items.read("vm", v.id(), () -> OvirtMapping.vm(source, v, clusters, hostNames, numaNodes(v), at),
                            vms::add);
                    seenVms.add(v.id());
                }
                if (batch.size() < pageSize) {
                    break;
                }
            }
            vmsOk = items.allKeyed("vm");
            numa.keySet().retainAll(seenVms);
        } catch (RuntimeException e) {
            errors.add(e.getMessage());
            reconnectAfter(e);
        }
        return new SourceSnapshot(hosts, hostsOk, vms, vmsOk, domains, domainsOk, errors, items.skipped());
    }

    /**
     * Reads the events feed after {@code cursor} and re-reads every host and VM the new events name. The feed is newest
     * first even with {@code from} (wire-formats.md D.5): it is sorted before use, and the cursor is the highest index.
     * A host or VM that cannot be re-read now (the engine refused the call) is tried again at the next poll, so the
     * cursor moves on without losing its signal; one that cannot be mapped is skipped with its reason.
     */
    @Override
    public SignalBatch readSignals(String cursor, Map<String, HostState> knownHosts, Map<String, VmState> knownVms) {
        if (cursor == null) {
            return new SignalBatch(SignalSource.ENGINE_EVENT, SignalSource.ENGINE_EVENT, List.of(), List.of(),
                    startCursor());
        }
        long from = Long.parseLong(cursor);
        List<Event> events = new ArrayList<>(engine.idempotent("read events after " + from, c ->
                c.systemService().eventsService().list().from(from).max(1000).send().events()));
        events.sort(Comparator.comparingLong(Event::indexAsLong));
        Set<String> hostIds = new LinkedHashSet<>(pendingHosts.keySet());
        Set<String> vmIds = new LinkedHashSet<>(pendingVms.keySet());
        long next = from;
        for (Event e : events) {
            next = Math.max(next, e.indexAsLong());
            int code = e.code() == null ? -1 : e.codeAsInteger();
            if (HOST_CODES.contains(code) && e.host() != null && e.host().id() != null) {
                hostIds.add(e.host().id());
            }
            if (VM_CODES.contains(code) && e.vm() != null && e.vm().id() != null) {
                vmIds.add(e.vm().id());
            }
        }
        Instant at = clock.instant();
        if (LOG.isDebugEnabled() && !events.isEmpty()) {
            LOG.debugf("source %s: %d event(s) after %d, up to %d; re-reading hosts %s and %d VM(s)", source,
                    events.size(), from, next, hostIds, vmIds.size());
        }
        Items items = new Items(source);
        List<HostState> hosts = new ArrayList<>();
        for (String id : hostIds) {
            Host h;
            try {
                h = engine.idempotent("read host " + id, c ->
                        c.systemService().hostsService().hostService(id).get().send().host());
            } catch (CloudCallException e) {
                retryLater(pendingHosts, id, "host", items, e);
                continue;
            }
            pendingHosts.remove(id);
            if (h.id() != null) {
                hostNames.put(h.id(), h.name());
            }
            items.read("host", id, () -> OvirtMapping.host(source, h, clusters, at), hosts::add);
        }
        List<VmState> vms = new ArrayList<>();
        for (String id : vmIds) {
            Vm v;
            try {
                v = engine.idempotent("read VM " + id, c -> c.systemService().vmsService().vmService(id).get()
                        .follow(VM_FOLLOW).send().vm());
            } catch (CloudCallException e) {
                // Gone since the event (404), or the engine is away: tried again, then left to the next cycle.
                retryLater(pendingVms, id, "vm", items, e);
                continue;
            }
            pendingVms.remove(id);
            items.read("vm", id, () -> OvirtMapping.vm(source, v, clusters, hostNames, numaNodes(v), at), vms::add);
        }
        return new SignalBatch(SignalSource.ENGINE_EVENT, SignalSource.ENGINE_EVENT, hosts, vms, Long.toString(next),
                items.skipped());
    }

    /** A VM's virtual NUMA node count, and the start time it was read at. */
    private record Numa(Object startTime, Integer nodes) {
    }

    private final Map<String, Numa> numa = new java.util.HashMap<>();

    /**
     * The VM's virtual NUMA nodes (null: none), read with one call ({@code vms/{id}/numanodes}: no {@code follow}
     * can inline them, the engine's follow of that link fails) and kept until the VM starts again (vNUMA applies at
     * start). The read is the VM's own: once, outside the source's retries and circuit breaker. When it fails, the
     * count read before stands; a VM never read is left out of this cycle (its last known state stands), as one
     * whose disk could not be read.
     */
    private Integer numaNodes(Vm v) {
        CollectorConfig.NumaNodes which = config.numaNodes();
        boolean pinned = v.placementPolicy() != null && !v.placementPolicy().hosts().isEmpty();
        if (v.id() == null || which == CollectorConfig.NumaNodes.NONE
                || which == CollectorConfig.NumaNodes.PINNED && !pinned) {
            return null;
        }
        Numa known = numa.get(v.id());
        if (known != null && java.util.Objects.equals(known.startTime(), v.startTime())) {
            return known.nodes();
        }
        String id = v.id();
        try {
            int nodes = engine.detail("read NUMA nodes of VM " + id, c -> c.systemService().vmsService()
                    .vmService(id).numaNodesService().list().send().nodes()).size();
            Integer count = nodes == 0 ? null : nodes;
            numa.put(id, new Numa(v.startTime(), count));
            return count;
        } catch (CloudCallException e) {
            if (known != null) {
                return known.nodes();
            }
            throw e;
        }
    }

    /** Re-reads that failed: tried at the next polls, then given up to the next full cycle. */
    private static final int SIGNAL_RETRIES = 3;

    private final Map<String, Integer> pendingHosts = new java.util.LinkedHashMap<>();
    private final Map<String, Integer> pendingVms = new java.util.LinkedHashMap<>();

    private void retryLater(Map<String, Integer> pending, String id, String kind, Items items, RuntimeException e) {
        int tries = pending.getOrDefault(id, 0) + 1;
        if (tries >= SIGNAL_RETRIES) {
            pending.remove(id);
            items.skip(kind, id, "could not be re-read " + tries + " times (" + e.getMessage()
                    + "); the next full cycle reads it");
        } else {
            pending.put(id, tries);
        }
        reconnectAfter(e);
    }

    @Override
    public String startCursor() {
        List<Event> newest = engine.idempotent("read the newest event", c ->
                c.systemService().eventsService().list().max(1).send().events());
        return newest.isEmpty() ? "0" : Long.toString(newest.get(0).indexAsLong());
    }

    @Override
    public long apiCalls() {
        return engine.apiCalls();
    }

    /** A failed call: the connection rebuilds itself when it cannot be trusted (a 401, no answer, a 5xx). */
    private void reconnectAfter(RuntimeException e) {
        LOG.debugf("source %s: %s", source, e.getMessage());
    }

    @Override
    public void close() {
        engine.close();
    }
}
