package io.lifeboat.simulator.control;

import com.fasterxml.jackson.annotation.JsonFormat;
import io.lifeboat.simulator.openstack.OpenStackRegion;
import io.lifeboat.simulator.ovirt.OvirtEngine;
import io.lifeboat.simulator.redfish.BmcBehaviour;
import io.lifeboat.simulator.topology.Topology;
import io.lifeboat.simulator.topology.TopologySpec;
import io.lifeboat.simulator.world.ApiTraffic;
import io.lifeboat.simulator.world.SimulatedFault;
import io.lifeboat.simulator.world.Simulation;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulator's control API, under {@code /sim/v1}: topology, faults, latency and errors, ground truth and call
 * counts. Never mixed into the emulated cloud APIs, so nothing a service calls can reach it.
 */
@Path("/sim/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Simulator control")
public class ControlResource {

    @Inject
    io.lifeboat.simulator.openstack.Tokens keystoneTokens;

    @Inject
    io.lifeboat.simulator.ovirt.OvirtTokens ovirtTokens;

    private static final Instant STARTED = Instant.now();

    @Inject
    Simulation simulation;

    @Inject
    BmcBehaviour bmcs;

    @Inject
    io.lifeboat.simulator.libvirt.Hypervisors hypervisors;

    @Inject
    ApiTraffic traffic;

    /** How a host fails. */
    /** TOTAL_POWER_LOSS: the host and its BMC lose power (a PDU, a rack): the BMC answers nothing. */
    public enum FailureMode { POWER_LOSS, TOTAL_POWER_LOSS, STORAGE_LOSS, NETWORK_PARTITION }

    public record HostFailure(FailureMode mode) {
    }

    /** Timing settings; each null field is left as it is. */
    /** Timings are ISO-8601 durations both ways ({@code "PT7S"}), so an answer reads as what was set. */
    public record SourceSettings(Boolean haRestart, Boolean engineFencing,
                                 @JsonFormat(shape = JsonFormat.Shape.STRING) Duration fenceGrace,
                                 @JsonFormat(shape = JsonFormat.Shape.STRING) Duration rebootTime,
                                 @JsonFormat(shape = JsonFormat.Shape.STRING) Duration serviceDownTime,
                                 @JsonFormat(shape = JsonFormat.Shape.STRING) Duration evacuationDuration,
                                 @JsonFormat(shape = JsonFormat.Shape.STRING) Duration reclaimInterval,
                                 String maxMicroversion) {
    }

    public record Source(String id, String platform, List<String> endpoints, int hosts, int vms) {
    }

    @GET
    @Path("/status")
    @Operation(summary = "The simulator's identity, topology spec and sources")
    public Map<String, Object> status(@Context UriInfo uri) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "lifeboat-cloud-simulator");
        m.put("startedAt", STARTED);
        m.put("spec", simulation.spec());
        m.put("sources", sources(uri));
        return m;
    }

    @GET
    @Path("/sources")
    @Operation(summary = "Every simulated source with the endpoints a client configures")
    public List<Source> sources(@Context UriInfo uri) {
        String base = uri.getBaseUri().toString().replaceAll("/$", "");
        List<Source> out = new ArrayList<>();
        Topology t = simulation.topology();
        for (OvirtEngine e : t.ovirt()) {
            out.add(new Source(e.sourceId, "ovirt", List.of(base + "/ovirt/" + e.sourceId + "/ovirt-engine/api"),
                    e.hosts().size(), e.vms().size()));
        }
        for (OpenStackRegion r : t.openstack()) {
            out.add(new Source(r.sourceId, "openstack", List.of(base + "/openstack/" + r.sourceId + "/identity/v3"),
                    r.services().size(), (int) r.servers().stream().filter(s -> !s.deleted).count()));
        }
        return out;
    }

    @POST
    @Path("/topology")
    @Operation(summary = "Replace the whole topology with a newly generated one")
    public Map<String, Object> reseed(TopologySpec spec, @Context UriInfo uri) {
        if (spec == null) {
            throw SimulatedFault.badRequest("a topology spec is required");
        }
        simulation.reseed(spec);
        return status(uri);
    }

    @POST
    @Path("/sources/{source}/hosts/{host}/fail")
    @Operation(summary = "Fail a host: power loss, storage path loss, or a network partition")
    public Map<String, Object> fail(@PathParam("source") String source, @PathParam("host") String host,
                                    @QueryParam("detail") String detail, HostFailure failure) {
        if (failure == null || failure.mode() == null) {
            throw SimulatedFault.badRequest("'mode' is required: POWER_LOSS, TOTAL_POWER_LOSS, STORAGE_LOSS or"
                    + " NETWORK_PARTITION");
        }
        boolean poweredBefore = poweredOn(source, host);
        var ovirt = simulation.ovirt(source);
        if (ovirt.isPresent()) {
            String id = ovirtHostId(ovirt.get(), host);
            switch (failure.mode()) {
                case POWER_LOSS -> ovirt.get().powerLoss(id);
                case TOTAL_POWER_LOSS -> ovirt.get().totalPowerLoss(id);
                case STORAGE_LOSS -> ovirt.get().storageLoss(id);
                case NETWORK_PARTITION -> ovirt.get().networkPartition(id);
            }
        } else {
            OpenStackRegion r = region(source);
            switch (failure.mode()) {
                case POWER_LOSS -> r.powerLoss(host);
                case TOTAL_POWER_LOSS -> r.totalPowerLoss(host);
                case STORAGE_LOSS -> r.storageLoss(host);
                case NETWORK_PARTITION -> r.networkPartition(host);
            }
        }
        powerChanged(source, host, poweredBefore);
        return answer(source, host, detail);
    }

    /** The BMC sees the power change now (its PowerState may lag it: {@link BmcBehaviour}). */
    private void powerChanged(String source, String host, boolean before) {
        if (poweredOn(source, host) != before) {
            bmcs.powerChanged(source + "." + bmcHostName(source, host), before);
        }
    }

    private boolean poweredOn(String source, String host) {
        var ovirt = simulation.ovirt(source);
        if (ovirt.isPresent()) {
            String id = ovirtHostId(ovirt.get(), host);
            return ovirt.get().hosts().stream().filter(h -> h.id.equals(id)).findFirst().orElseThrow().poweredOn;
        }
        return region(source).services().stream().filter(s -> s.host.equals(host)).findFirst()
                .orElseThrow(() -> SimulatedFault.notFound("no host '" + host + "' in " + source)).poweredOn;
    }

    /** The name in the host's BMC id ({@code <source>.<host name>}). */
    private String bmcHostName(String source, String host) {
        var ovirt = simulation.ovirt(source);
        if (ovirt.isPresent()) {
            String id = ovirtHostId(ovirt.get(), host);
            return ovirt.get().hosts().stream().filter(h -> h.id.equals(id)).findFirst().orElseThrow().name;
        }
        return host;
    }

    @PUT
    @Path("/redfish")
    @Operation(summary = "How the BMCs behave: powerStateLag (ISO-8601 duration the PowerState lags the power),"
            + " resetWhenOff (409, 400 or 204: the answer to ForceOff of a chassis already off)")
    public BmcBehaviour.Settings redfish(BmcBehaviour.Settings settings) {
        return bmcs.update(settings);
    }

    @GET
    @Path("/redfish")
    @Operation(summary = "How the BMCs behave")
    public BmcBehaviour.Settings redfishSettings() {
        return bmcs.settings();
    }

    /**
     * What a fault or recovery changed: the host as the ground truth now has it, and where the rest is; the whole
     * ground truth of the source with {@code ?detail=full} (it is kilobytes: every host and VM).
     */
    private Map<String, Object> answer(String source, String host, String detail) {
        Map<String, Object> truth = truth(source);
        if ("full".equals(detail)) {
            return truth;
        }
        if (detail != null) {
            throw SimulatedFault.badRequest("'detail' is 'full' or absent");
        }
        Object hostEntry = truth.get("hosts") instanceof List<?> hosts ? hosts.stream()
                .filter(h -> h instanceof Map<?, ?> m && (host.equals(m.get("name")) || host.equals(m.get("id"))
                        || host.equals(m.get("host"))))
                .findFirst().orElse(null) : null;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("source", source);
        out.put("host", hostEntry);
        out.put("groundTruth", "/sim/v1/sources/" + source + "/truth");
        return out;
    }

    @POST
    @Path("/sources/{source}/hosts/{host}/recover")
    @Operation(summary = "Undo every fault of a host")
    public Map<String, Object> recover(@PathParam("source") String source, @PathParam("host") String host,
                                       @QueryParam("detail") String detail) {
        boolean poweredBefore = poweredOn(source, host);
        var ovirt = simulation.ovirt(source);
        if (ovirt.isPresent()) {
            ovirt.get().recover(ovirtHostId(ovirt.get(), host));
        } else {
            region(source).recover(host);
        }
        powerChanged(source, host, poweredBefore);
        return answer(source, host, detail);
    }

    /** Whether the engine has power management for the host (oVirt): without it the engine cannot fence it. */
    public record PowerManagement(Boolean enabled) {
    }

    @PUT
    @Path("/sources/{source}/hosts/{host}/power-management")
    @Operation(summary = "oVirt: turn a host's power management on or off (without it, the engine cannot fence it)")
    public Map<String, Object> powerManagement(@PathParam("source") String source, @PathParam("host") String host,
                                               PowerManagement pm) {
        if (pm == null || pm.enabled() == null) {
            throw SimulatedFault.badRequest("'enabled' is required");
        }
        var ovirt = simulation.ovirt(source).orElseThrow(() -> SimulatedFault.notFound("no oVirt source " + source));
        ovirt.setPowerManagement(ovirtHostId(ovirt, host), pm.enabled());
        return truth(source);
    }

    @POST
    @Path("/keystone/revoke-tokens")
    @Operation(summary = "Revoke every Keystone token issued so far (a revocation event, rotated fernet keys): the"
            + " clients get 401 until they authenticate again")
    public Map<String, Object> revokeTokens() {
        return Map.of("revoked", keystoneTokens.revokeAll());
    }

    @POST
    @Path("/ovirt/expire-tokens")
    @Operation(summary = "Expire every oVirt SSO token issued so far (an engine restart, the SSO session timeout): the"
            + " clients get 401 until they log in again")
    public Map<String, Object> expireOvirtTokens() {
        return Map.of("expired", ovirtTokens.expireAll());
    }

    @PUT
    @Path("/sources/{source}/settings")
    @Operation(summary = "oVirt: the engine's own HA restart and fencing (fencing policy, Connecting grace, reboot"
            + " time); OpenStack: service-down time, evacuation duration, reclaim interval")
    public SourceSettings settings(@PathParam("source") String source, SourceSettings s) {
        var ovirt = simulation.ovirt(source);
        if (ovirt.isPresent()) {
            if (s != null && s.haRestart() != null) {
                ovirt.get().setHaRestart(s.haRestart());
            }
            if (s != null) {
                ovirt.get().setFencing(s.engineFencing(), s.fenceGrace(), s.rebootTime());
            }
            return new SourceSettings(ovirt.get().haRestart(), ovirt.get().engineFencing(), ovirt.get().fenceGrace(),
                    ovirt.get().rebootTime(), null, null, null, null);
        }
        OpenStackRegion r = region(source);
        if (s != null) {
            r.setTimings(s.serviceDownTime(), s.evacuationDuration(), s.reclaimInterval());
            if (s.maxMicroversion() != null) {
                try {
                    io.lifeboat.simulator.openstack.Microversion.parse(s.maxMicroversion());
                } catch (RuntimeException e) {
                    throw SimulatedFault.badRequest("maxMicroversion must look like 2.53");
                }
                r.setMaxMicroversion(s.maxMicroversion());
            }
        }
        return new SourceSettings(null, null, null, null, r.serviceDownTime(), r.evacuationDuration(),
                r.reclaimInterval(), r.maxMicroversion());
    }

    /** A hypervisor's size; a null field is left as it is. */
    public record Capacity(Integer vcpus, Integer memoryMb) {
    }

    @PUT
    @Path("/sources/{source}/hosts/{host}/capacity")
    @Operation(summary = "Resize a host (OpenStack: physical CPUs and memory in MiB; oVirt: memory in MiB), as the"
            + " scheduler sees it")
    public Map<String, Object> capacity(@PathParam("source") String source, @PathParam("host") String host,
                                        Capacity c) {
        var ovirt = simulation.ovirt(source);
        if (ovirt.isPresent()) {
            if (c == null || c.memoryMb() == null || c.vcpus() != null) {
                throw SimulatedFault.badRequest("an oVirt host takes memoryMb only");
            }
            var h = ovirt.get().resize(host, c.memoryMb());
            return Map.of("host", h.name, "memoryMb", h.memoryBytes >> 20, "maxSchedulingMemoryMb",
                    ovirt.get().maxSchedulingMb(h));
        }
        var s = region(source).resize(host, c == null ? null : c.vcpus(), c == null ? null : c.memoryMb());
        return Map.of("host", s.host, "vcpus", s.vcpus, "memoryMb", s.memoryMb);
    }

    /**
     * A server to boot: its name, flavor (name or id), host and metadata; {@code volumes}: how many new SVC volumes to
     * create and attach with it (none when absent).
     */
    public record Boot(String name, String flavor, String host, Map<String, String> metadata, Integer volumes) {
    }

    @POST
    @Path("/sources/{source}/servers")
    @Operation(summary = "OpenStack: boot a server on a host (ACTIVE at once; 409 when its flavor does not fit)")
    public Map<String, Object> boot(@PathParam("source") String source, Boot b) {
        if (b == null || b.name() == null || b.flavor() == null || b.host() == null) {
            throw SimulatedFault.badRequest("name, flavor and host are required");
        }
        if (b.volumes() != null && (b.volumes() < 0 || b.volumes() > 25)) {
            throw SimulatedFault.badRequest("volumes must be between 0 and 25 (vdb to vdz)");
        }
        var srv = region(source).boot(b.name(), b.flavor(), b.host(), b.metadata(),
                b.volumes() == null ? 0 : b.volumes());
        return Map.of("id", srv.id, "name", srv.name, "host", srv.host, "volumeIds", List.copyOf(srv.volumeIds));
    }

    @POST
    @Path("/sources/{source}/servers/{server}/volumes")
    @Operation(summary = "OpenStack: create a new SVC volume and attach it to the server (its changes-since shows it)")
    public Map<String, Object> attachVolume(@PathParam("source") String source, @PathParam("server") String server) {
        var vol = region(source).attachNewVolume(server);
        return Map.of("id", vol.id, "volumeWwn", vol.metadata.get("volume_wwn"));
    }

    @POST
    @Path("/sources/{source}/servers/{server}/fail-next-evacuation")
    @Operation(summary = "The next evacuation of this server ends in ERROR")
    public void failNextEvacuation(@PathParam("source") String source, @PathParam("server") String server) {
        region(source).failNextEvacuation(server);
    }

    @POST
    @Path("/sources/{source}/reclaim")
    @Operation(summary = "Run Nova's periodic reclaim now: soft-deleted servers past the reclaim interval are deleted")
    public Map<String, Object> reclaim(@PathParam("source") String source) {
        return Map.of("reclaimed", region(source).reclaim());
    }

    @POST
    @Path("/sources/{source}/servers/{server}/leave-domain-on-reclaim")
    @Operation(summary = "When this soft-deleted server is reclaimed, its libvirt domain stays on the hypervisor")
    public void leaveDomainOnReclaim(@PathParam("source") String source, @PathParam("server") String server) {
        region(source).leaveDomainOnReclaim(server);
    }

    /** A guest fault on a hypervisor: what libvirt reports for it. */
    public record GuestFault(io.lifeboat.simulator.libvirt.Hypervisors.Fault kind, String action) {
    }

    @POST
    @Path("/sources/{source}/guests/{vm}/fault")
    @Operation(summary = "A guest's watchdog fires (action), its kernel panics, or its disk fails: the hypervisor's"
            + " virsh event lines, pushed to the libvirt sink when one is configured")
    public List<String> guestFault(@PathParam("source") String source, @PathParam("vm") String vm, GuestFault f) {
        if (f == null || f.kind() == null) {
            throw SimulatedFault.badRequest("'kind' is required: WATCHDOG (with 'action'), PANIC or IO_ERROR");
        }
        return hypervisors.fault(source, vm, f.kind(), f.action());
    }

    @GET
    @Path("/sources/{source}/hypervisors/{host}/virsh-events")
    @Produces(jakarta.ws.rs.core.MediaType.TEXT_PLAIN)
    @Operation(summary = "The virsh event lines a hypervisor emitted, as 'virsh event --all --loop --timestamp'"
            + " printed them")
    public String virshEvents(@PathParam("source") String source, @PathParam("host") String host) {
        List<String> l = hypervisors.events(source, host);
        return l.isEmpty() ? "" : String.join("\n", l) + "\n";
    }

    @GET
    @Path("/sources/{source}/hypervisors/{host}/domains")
    @Produces(jakarta.ws.rs.core.MediaType.TEXT_PLAIN)
    @Operation(summary = "A hypervisor's libvirt domains, one per line: '<uuid> <name> <state>'")
    public String domains(@PathParam("source") String source, @PathParam("host") String host) {
        List<String> l = hypervisors.domains(source, host);
        return l.isEmpty() ? "" : String.join("\n", l) + "\n";
    }

    @GET
    @Path("/sources/{source}/truth")
    @Operation(summary = "Ground truth: what really runs where, and each host's real condition")
    public Map<String, Object> truth(@PathParam("source") String source) {
        var ovirt = simulation.ovirt(source);
        return ovirt.isPresent() ? GroundTruth.of(ovirt.get()) : GroundTruth.of(region(source));
    }

    @GET
    @Path("/calls")
    @Operation(summary = "Calls received by the emulated APIs, by source and operation")
    public Map<String, Long> calls() {
        return traffic.calls();
    }

    @DELETE
    @Path("/calls")
    public void resetCalls() {
        traffic.resetCalls();
    }

    @GET
    @Path("/faults")
    public Map<String, Object> faults() {
        return traffic.faults();
    }

    @PUT
    @Path("/faults/latency")
    @Operation(summary = "Replace the latency rules")
    public Map<String, Object> latency(List<ApiTraffic.LatencyRule> rules) {
        traffic.setLatency(rules == null ? List.of() : rules);
        return traffic.faults();
    }

    @PUT
    @Path("/faults/errors")
    @Operation(summary = "Replace the error injection rules")
    public Map<String, Object> errors(List<ApiTraffic.ErrorRule> rules) {
        for (ApiTraffic.ErrorRule r : rules == null ? List.<ApiTraffic.ErrorRule>of() : rules) {
            if (r.rate() < 0 || r.rate() > 1 || r.status() < 400 || r.status() > 599) {
                throw SimulatedFault.badRequest("an error rule needs 0 <= rate <= 1 and a status of 400-599");
            }
        }
        traffic.setErrors(rules == null ? List.of() : rules);
        return traffic.faults();
    }

    @DELETE
    @Path("/faults")
    @Operation(summary = "Remove every latency and error rule")
    public void clearFaults() {
        traffic.setLatency(List.of());
        traffic.setErrors(List.of());
    }

    // ------------------------------------------------------------------ helpers

    private OpenStackRegion region(String source) {
        return simulation.openstack(source).orElseThrow(() -> SimulatedFault.notFound("no source '" + source
                + "' (have: " + simulation.sourceIds() + ")"));
    }

    private static String ovirtHostId(OvirtEngine e, String idOrName) {
        return e.hosts().stream().filter(h -> h.id.equals(idOrName) || h.name.equals(idOrName)).map(h -> h.id)
                .findFirst().orElseThrow(() -> SimulatedFault.notFound("no host '" + idOrName + "' in " + e.sourceId));
    }
}
