package io.lifeboat.evacuation.platform.ovirt;

import io.lifeboat.evacuation.config.EvacuationConfig;
import io.lifeboat.evacuation.platform.CloudCallException;
import io.lifeboat.evacuation.platform.CloudCalls;
import org.ovirt.engine.sdk4.Connection;
import org.ovirt.engine.sdk4.ConnectionBuilder;
import org.ovirt.engine.sdk4.builders.HostBuilder;
import org.ovirt.engine.sdk4.builders.VmBuilder;
import org.ovirt.engine.sdk4.builders.VmPlacementPolicyBuilder;
import org.ovirt.engine.sdk4.types.PowerManagement;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The oVirt engine through ovirt-engine-sdk-java. The SDK reports every engine fault as {@code sdk4.Error} with the
 * HTTP status only in its message (notes on the SDK, section 4), so the status is read back from there.
 */
public final class OvirtSdkClient implements OvirtApi {

    private final EvacuationConfig.Source config;
    private final String password;
    private final CloudCalls calls;
    private Connection connection;

    public OvirtSdkClient(EvacuationConfig.Source config, String password, CloudCalls calls) {
        this.config = config;
        this.password = password;
        this.calls = calls;
    }

    private synchronized Connection connection() {
        if (connection == null) {
            connection = ConnectionBuilder.connection()
                    .url(config.url().replaceAll("/+$", ""))
                    .user(config.username())
                    .password(password)
                    .timeout((int) config.callTimeout().toSeconds())
                    .insecure(config.insecure())
                    .build();
        }
        return connection;
    }

    /** After a transport failure the connection is rebuilt (the SDK's pool can be left holding a lease). */
    private synchronized void reconnect() {
        if (connection != null) {
            try {
                connection.close();
            } catch (Exception e) {
                // closing a broken connection: nothing to do
            }
            connection = null;
        }
    }

    private <T> Callable<T> sdk(Callable<T> call) {
        return () -> {
            try {
                return call.call();
            } catch (org.ovirt.engine.sdk4.Error e) {
                int status = status(e.getMessage());
                if (status == 0) {
                    reconnect();
                }
                throw new CloudCallException(e.getMessage(), status, e);
            }
        };
    }

    /** {@code ... HTTP response code is "409". ...}; 0 when the engine did not answer. */
    static int status(String message) {
        if (message == null) {
            return 0;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("HTTP response code is \"?(\\d{3})").matcher(message);
        if (m.find()) {
            return Integer.parseInt(m.group(1));
        }
        return message.contains("Fault reason") || message.contains("Fault detail") ? 409 : 0;
    }

    @Override
    public Optional<OvirtApi.Vm> vm(String id) {
        try {
            org.ovirt.engine.sdk4.types.Vm vm = calls.idempotent("read VM " + id, sdk(() ->
                    connection().systemService().vmsService().vmService(id).get().send().vm()));
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
        List<org.ovirt.engine.sdk4.types.Vm> vms = calls.idempotent("list VMs", sdk(() ->
                connection().systemService().vmsService().list().send().vms()));
        return vms.stream().map(OvirtSdkClient::vm).toList();
    }

    @Override
    public List<OvirtApi.Vm> vmsOn(String hostId) {
        org.ovirt.engine.sdk4.types.Host h = calls.idempotent("read host " + hostId, sdk(() ->
                connection().systemService().hostsService().hostService(hostId).get().send().host()));
        List<org.ovirt.engine.sdk4.types.Vm> vms = calls.idempotent("list VMs on " + h.name(), sdk(() ->
                connection().systemService().vmsService().list().search("host=" + h.name()).send().vms()));
        return vms.stream().map(OvirtSdkClient::vm).toList();
    }

    @Override
    public List<OvirtApi.Host> hosts() {
        List<org.ovirt.engine.sdk4.types.Host> hosts = calls.idempotent("list hosts", sdk(() ->
                connection().systemService().hostsService().list().send().hosts()));
        return hosts.stream().map(OvirtSdkClient::host).toList();
    }

    @Override
    public Optional<OvirtApi.Host> host(String id) {
        try {
            org.ovirt.engine.sdk4.types.Host h = calls.idempotent("read host " + id, sdk(() ->
                    connection().systemService().hostsService().hostService(id).get().send().host()));
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
        calls.once("start VM " + vmId, sdk(() -> {
            var req = connection().systemService().vmsService().vmService(vmId).start();
            if (hostId != null) {
                // A run-once placement override (wire-formats.md D.6).
                req.vm(new VmBuilder().placementPolicy(new VmPlacementPolicyBuilder()
                        .hosts(new HostBuilder().id(hostId))));
            }
            return req.send();
        }));
    }

    @Override
    public void migrate(String vmId, String hostId) {
        calls.once("migrate VM " + vmId, sdk(() -> {
            var req = connection().systemService().vmsService().vmService(vmId).migrate();
            if (hostId != null) {
                req.host(new HostBuilder().id(hostId));
            }
            return req.send();
        }));
    }

    @Override
    public void fenceStop(String hostId) {
        calls.idempotent("fence (stop) host " + hostId, sdk(() ->
                connection().systemService().hostsService().hostService(hostId).fence().fenceType("stop").send()));
    }

    @Override
    public void fenceRestart(String hostId) {
        calls.once("fence (restart) host " + hostId, sdk(() ->
                connection().systemService().hostsService().hostService(hostId).fence().fenceType("restart").send()));
    }

    @Override
    public List<OvirtApi.Event> recentEvents(int max) {
        List<org.ovirt.engine.sdk4.types.Event> events = calls.idempotent("list the newest " + max + " events",
                sdk(() -> connection().systemService().eventsService().list().max(max).send().events()));
        return events.stream().map(e -> new OvirtApi.Event(e.index() == null ? 0 : e.index().longValue(),
                e.code() == null ? 0 : e.code().intValue(), e.host() == null ? null : e.host().id(),
                e.vm() == null ? null : e.vm().id(), e.time() == null ? null : e.time().toInstant(),
                e.description())).toList();
    }

    @Override
    public boolean clusterFencingEnabled(String clusterId) {
        org.ovirt.engine.sdk4.types.Cluster c = calls.idempotent("read cluster " + clusterId, sdk(() ->
                connection().systemService().clustersService().clusterService(clusterId).get().send().cluster()));
        // Absent: an engine that does not report it fences by default (FencingPolicy.fencingEnabled = true).
        return c == null || !c.fencingPolicyPresent() || !c.fencingPolicy().enabledPresent()
                || c.fencingPolicy().enabled();
    }

    @Override
    public String powerStatus(String hostId) {
        PowerManagement pm = calls.idempotent("power status of host " + hostId, sdk(() ->
                connection().systemService().hostsService().hostService(hostId).fence().fenceType("status").send()
                        .powerManagement()));
        return pm == null || pm.status() == null ? "unknown" : pm.status().value();
    }

    @Override
    public void fenceManual(String hostId) {
        calls.idempotent("confirm host " + hostId + " rebooted (manual fence)", sdk(() ->
                connection().systemService().hostsService().hostService(hostId).fence().fenceType("manual").send()));
    }
}
