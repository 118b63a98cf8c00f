package io.lifeboat.evacuation.platform.ovirt;

import io.lifeboat.evacuation.config.EvacuationConfig;
import io.lifeboat.cloud.CloudCallException;
import io.lifeboat.cloud.CloudCalls;
import io.lifeboat.cloud.ovirt.OvirtConnection;
import org.ovirt.engine.sdk4.builders.HostBuilder;
import org.ovirt.engine.sdk4.builders.VmBuilder;
import org.ovirt.engine.sdk4.builders.VmPlacementPolicyBuilder;
import org.ovirt.engine.sdk4.types.PowerManagement;

import java.util.List;
import java.util.Optional;

/**
 * The oVirt engine through ovirt-engine-sdk-java, on the shared engine connection ({@link OvirtConnection}: the
 * status of an {@code sdk4.Error} read back from its message, the connection rebuilt after a 401 or no answer).
 */
public final class OvirtSdkClient implements OvirtApi {

    private final OvirtConnection engine;

    public OvirtSdkClient(EvacuationConfig.Source config, CloudCalls calls) {
        this.engine = new OvirtConnection(calls.sourceId(), config, config.callTimeout(), calls);
    }

    @Override
    public Optional<OvirtApi.Vm> vm(String id) {
        try {
            org.ovirt.engine.sdk4.types.Vm vm = engine.idempotent("read VM " + id, c ->
                    c.systemService().vmsService().vmService(id).get().send().vm());
            return Optional.ofNullable(vm).map(OvirtSdkClient::vm);
        } catch (CloudCallException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static OvirtApi.Vm vm(org.ovirt.engine.sdk4.types.Vm v) {
        return new OvirtApi.Vm(v.id(), v.name(), v.status() == null ? "unknown" : v.status().value(),
                v.statusDetail(), v.host() == null ? null : v.host().id(), v.cluster() == null ? null
                : v.cluster().id(), v.highAvailability() != null && Boolean.TRUE.equals(v.highAvailability().enabled()),
                v.highAvailability() == null || v.highAvailability().priority() == null ? 0
                        : v.highAvailability().priority().intValue(),
                v.memory() == null ? -1 : v.memory().shiftRight(20).longValue(), vcpus(v), pinnedTo(v));
    }

    /** The hosts a VM pinned to hosts may run on (PinToHostPolicyUnit); empty when it may run anywhere. */
    private static List<String> pinnedTo(org.ovirt.engine.sdk4.types.Vm v) {
        var p = v.placementPolicy();
        if (p == null || p.affinity() != org.ovirt.engine.sdk4.types.VmAffinity.PINNED || p.hosts() == null) {
            return List.of();
        }
        return p.hosts().stream().map(org.ovirt.engine.sdk4.types.Host::id).toList();
    }

    /** The CPU topology's sockets × cores × threads; -1 when the engine did not show it. */
    private static int vcpus(org.ovirt.engine.sdk4.types.Vm v) {
        if (v.cpu() == null || v.cpu().topology() == null || v.cpu().topology().sockets() == null) {
            return -1;
        }
        var t = v.cpu().topology();
        return t.sockets().intValue() * (t.cores() == null ? 1 : t.cores().intValue())
                * (t.threads() == null ? 1 : t.threads().intValue());
    }

    @Override
    public List<OvirtApi.Vm> vms() {
        List<org.ovirt.engine.sdk4.types.Vm> vms = engine.idempotent("list VMs", c ->
                c.systemService().vmsService().list().send().vms());
        return vms.stream().map(OvirtSdkClient::vm).toList();
    }

    @Override
    public List<OvirtApi.Vm> vmsOn(String hostId) {
        org.ovirt.engine.sdk4.types.Host h = engine.idempotent("read host " + hostId, c ->
                c.systemService().hostsService().hostService(hostId).get().send().host());
        List<org.ovirt.engine.sdk4.types.Vm> vms = engine.idempotent("list VMs on " + h.name(), c ->
                c.systemService().vmsService().list().search("host=" + h.name()).send().vms());
        return vms.stream().map(OvirtSdkClient::vm).toList();
    }

    @Override
    public List<OvirtApi.Host> hosts() {
        List<org.ovirt.engine.sdk4.types.Host> hosts = engine.idempotent("list hosts", c ->
                c.systemService().hostsService().list().send().hosts());
        return hosts.stream().map(OvirtSdkClient::host).toList();
    }

    @Override
    public Optional<OvirtApi.Host> host(String id) {
        try {
            org.ovirt.engine.sdk4.types.Host h = engine.idempotent("read host " + id, c ->
                    c.systemService().hostsService().hostService(id).get().send().host());
            return Optional.ofNullable(h).map(OvirtSdkClient::host);
        } catch (CloudCallException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static OvirtApi.Host host(org.ovirt.engine.sdk4.types.Host h) {
        PowerManagement pm = h.powerManagement();
        return new OvirtApi.Host(h.id(), h.name(), h.status() == null ? "unknown" : h.status().value(),
                h.cluster() == null ? null : h.cluster().id(), pm != null && Boolean.TRUE.equals(pm.enabled()),
                h.maxSchedulingMemory() == null ? -1 : h.maxSchedulingMemory().shiftRight(20).longValue());
    }

    @Override
    public void start(String vmId, String hostId) {
        engine.once("start VM " + vmId, c -> {
            var req = c.systemService().vmsService().vmService(vmId).start();
            if (hostId != null) {
                // A run-once placement override (wire-formats.md D.6).
                req.vm(new VmBuilder().placementPolicy(new VmPlacementPolicyBuilder()
                        .hosts(new HostBuilder().id(hostId))));
            }
            return req.send();
        });
    }

    @Override
    public void migrate(String vmId, String hostId) {
        engine.once("migrate VM " + vmId, c -> {
            var req = c.systemService().vmsService().vmService(vmId).migrate();
            if (hostId != null) {
                req.host(new HostBuilder().id(hostId));
            }
            return req.send();
        });
    }

    @Override
    public void fenceStop(String hostId) {
        engine.idempotent("fence (stop) host " + hostId, c ->
                c.systemService().hostsService().hostService(hostId).fence().fenceType("stop").send());
    }

    @Override
    public void fenceRestart(String hostId) {
        engine.once("fence (restart) host " + hostId, c ->
                c.systemService().hostsService().hostService(hostId).fence().fenceType("restart").send());
    }

    @Override
    public List<OvirtApi.Event> recentEvents(int max) {
        List<org.ovirt.engine.sdk4.types.Event> events = engine.idempotent("list the newest " + max + " events",
                c -> c.systemService().eventsService().list().max(max).send().events());
        return events.stream().map(e -> new OvirtApi.Event(e.index() == null ? 0 : e.index().longValue(),
                e.code() == null ? 0 : e.code().intValue(), e.host() == null ? null : e.host().id(),
                e.vm() == null ? null : e.vm().id(), e.time() == null ? null : e.time().toInstant(),
                e.description())).toList();
    }

    @Override
    public boolean clusterFencingEnabled(String clusterId) {
        org.ovirt.engine.sdk4.types.Cluster cl = engine.idempotent("read cluster " + clusterId, c ->
                c.systemService().clustersService().clusterService(clusterId).get().send().cluster());
        // Absent: an engine that does not report it fences by default (FencingPolicy.fencingEnabled = true).
        return cl == null || !cl.fencingPolicyPresent() || !cl.fencingPolicy().enabledPresent()
                || cl.fencingPolicy().enabled();
    }

    @Override
    public String powerStatus(String hostId) {
        PowerManagement pm = engine.idempotent("power status of host " + hostId, c ->
                c.systemService().hostsService().hostService(hostId).fence().fenceType("status").send()
                        .powerManagement());
        return pm == null || pm.status() == null ? "unknown" : pm.status().value();
    }

    @Override
    public void fenceManual(String hostId) {
        engine.idempotent("confirm host " + hostId + " rebooted (manual fence)", c ->
                c.systemService().hostsService().hostService(hostId).fence().fenceType("manual").send());
    }
}
