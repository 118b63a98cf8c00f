package io.lifeboat.collector.source.ovirt;

import io.lifeboat.collector.config.CollectorConfig;
import io.lifeboat.collector.source.CloudCalls;
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
import org.ovirt.engine.sdk4.Connection;
import org.ovirt.engine.sdk4.ConnectionBuilder;
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
    private static final Set<Integer> HOST_CODES = Set.of(12, 13, 14, 15, 16, 9008, 9017, 9018, 9019, 9027);
    /** VM-related codes that make us re-read the VM. */
    private static final Set<Integer> VM_CODES = Set.of(61, 62, 63, 65, 119, 120, 126, 138, 139, 142, 143, 145, 146,
            153, 196, 1025, 9602, 9603, 9605, 9901);

    private final SourceId source;
    private final CollectorConfig.Source config;
    private final String password;
    private final CloudCalls calls;
    private final Clock clock;
    private final Map<String, ClusterRef> clusters = new HashMap<>();
    private final Map<String, String> hostNames = new HashMap<>();
    private Connection connection;

    public OvirtSourceClient(SourceId source, CollectorConfig.Source config, String password, CloudCalls calls,
                             Clock clock) {
        this.source = source;
        this.config = config;
        this.password = password;
        this.calls = calls;
        this.clock = clock;
    }

    private Connection connection() {
        if (connection == null) {
            ConnectionBuilder b = ConnectionBuilder.connection()
                    .url(config.url().replaceAll("/+$", ""))
                    .user(config.username())
                    .password(password)
                    .timeout((int) config.callTimeout().toSeconds())
                    .insecure(config.insecure());
            config.trustStore().ifPresent(ts -> b.trustStoreFile(ts.toString()));
            config.trustStorePassword().ifPresent(b::trustStorePassword);
            connection = b.build();
        }
        return connection;
    }

    @Override
    public SourceSnapshot readInventory() {
        Instant at = clock.instant();
        List<String> errors = new ArrayList<>();
        List<HostState> hosts = new ArrayList<>();
        List<VmState> vms = new ArrayList<>();
        List<StorageDomainState> domains = new ArrayList<>();
        boolean hostsOk = false;
        boolean vmsOk = false;
        boolean domainsOk = false;
        try {
            List<Cluster> cl = calls.call("list clusters", () ->
                    connection().systemService().clustersService().list().send().clusters());
            clusters.clear();
            cl.forEach(c -> clusters.put(c.id(), new ClusterRef(c.id(), c.name())));
        } catch (RuntimeException e) {
            errors.add(e.getMessage());
            reconnectAfter(e);
        }
        try {
            List<Host> hs = calls.call("list hosts", () ->
                    connection().systemService().hostsService().list().send().hosts());
            hostNames.clear();
            for (Host h : hs) {
                hostNames.put(h.id(), h.name());
                hosts.add(OvirtMapping.host(source, h, clusters, at));
            }
            hostsOk = true;
        } catch (RuntimeException e) {
            errors.add(e.getMessage());
            reconnectAfter(e);
        }
        try {
            List<StorageDomain> sds = calls.call("list storage domains", () ->
                    connection().systemService().storageDomainsService().list().send().storageDomains());
            sds.forEach(sd -> domains.add(OvirtMapping.storageDomain(source, sd, at)));
            domainsOk = true;
        } catch (RuntimeException e) {
            errors.add(e.getMessage());
            reconnectAfter(e);
        }
        try {
            int pageSize = config.pageSize();
            for (int page = 1; ; page++) {
                int p = page;
                List<Vm> batch = calls.call("list VMs page " + p, () -> connection().systemService().vmsService()
                        .list().follow(VM_FOLLOW).search("page " + p).max(pageSize).send().vms());
                for (Vm v : batch) {
                    vms.add(OvirtMapping.vm(source, v, clusters, hostNames, at));
                }
                if (batch.size() < pageSize) {
                    break;
                }
            }
            vmsOk = true;
        } catch (RuntimeException e) {
            errors.add(e.getMessage());
            reconnectAfter(e);
        }
        return new SourceSnapshot(hosts, hostsOk, vms, vmsOk, domains, domainsOk, errors);
    }

    /**
     * Reads the events feed after {@code cursor} and re-reads every host and VM the new events name. The feed is newest
     * first even with {@code from} (wire-formats.md D.5): it is sorted before use, and the cursor is the highest index.
     */
    @Override
    public SignalBatch readSignals(String cursor, Map<String, HostState> knownHosts, Map<String, VmState> knownVms) {
        if (cursor == null) {
            List<Event> newest = calls.call("read the newest event", () ->
                    connection().systemService().eventsService().list().max(1).send().events());
            String start = newest.isEmpty() ? "0" : Long.toString(newest.get(0).indexAsLong());
            return new SignalBatch(SignalSource.ENGINE_EVENT, SignalSource.ENGINE_EVENT, List.of(), List.of(), start);
        }
        long from = Long.parseLong(cursor);
        List<Event> events = new ArrayList<>(calls.call("read events after " + from, () ->
                connection().systemService().eventsService().list().from(from).max(1000).send().events()));
        events.sort(Comparator.comparingLong(Event::indexAsLong));
        Set<String> hostIds = new LinkedHashSet<>();
        Set<String> vmIds = new LinkedHashSet<>();
        long next = from;
        for (Event e : events) {
            next = Math.max(next, e.indexAsLong());
            int code = e.code() == null ? -1 : e.codeAsInteger();
            if (HOST_CODES.contains(code) && e.host() != null) {
                hostIds.add(e.host().id());
            }
            if (VM_CODES.contains(code) && e.vm() != null) {
                vmIds.add(e.vm().id());
            }
        }
        Instant at = clock.instant();
        List<HostState> hosts = new ArrayList<>();
        for (String id : hostIds) {
            Host h = calls.call("read host " + id, () ->
                    connection().systemService().hostsService().hostService(id).get().send().host());
            hostNames.put(h.id(), h.name());
            hosts.add(OvirtMapping.host(source, h, clusters, at));
        }
        List<VmState> vms = new ArrayList<>();
        for (String id : vmIds) {
            try {
                Vm v = calls.call("read VM " + id, () -> connection().systemService().vmsService().vmService(id).get()
                        .follow(VM_FOLLOW).send().vm());
                vms.add(OvirtMapping.vm(source, v, clusters, hostNames, at));
            } catch (CloudCalls.CloudCallException e) {
                // The VM may be gone since the event; the next cycle settles it.
                LOG.debugf("source %s: VM %s from an event could not be read: %s", source, id, e.getMessage());
            }
        }
        return new SignalBatch(SignalSource.ENGINE_EVENT, SignalSource.ENGINE_EVENT, hosts, vms, Long.toString(next));
    }

    @Override
    public long apiCalls() {
        return calls.count();
    }

    /** After a failure the connection may hold a leaked lease (the SDK's pool has two): start afresh. */
    private void reconnectAfter(RuntimeException e) {
        LOG.debugf("source %s: %s", source, e.getMessage());
        close();
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (Exception e) {
                LOG.debugf("source %s: closing the connection: %s", source, e.getMessage());
            }
            connection = null;
        }
    }
}
