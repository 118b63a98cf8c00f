package io.lifeboat.simulator.ovirt;

import io.lifeboat.simulator.world.Simulation;
import io.lifeboat.simulator.world.SimulatedFault;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The oVirt engine REST API v4 of each simulated engine, at {@code /ovirt/<source>/ovirt-engine/api}. XML unless the
 * caller asks for JSON. No {@code @Consumes} on reads: the Java SDK sends {@code Content-Type: application/xml} on
 * GET too (ovirt-sdk-wire notes, 1.3).
 */
@Path("/ovirt/{source}/ovirt-engine/api")
@Tag(name = "oVirt engine API (simulated)")
public class OvirtApiResource {

    static final String XML = "application/xml;charset=UTF-8";
    static final String JSON = "application/json";

    @Inject
    Simulation simulation;

    @Inject
    OvirtTokens tokens;

    @GET
    @Operation(summary = "API root")
    public Response root(@PathParam("source") String source, @HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
                         @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        OvirtEngine e = engine(source, auth);
        return write(accept, e, (r, d) -> r.api(d));
    }

    @GET
    @Path("/vms")
    public Response vms(@PathParam("source") String source, @HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
                        @HeaderParam(HttpHeaders.ACCEPT) String accept, @QueryParam("follow") String follow,
                        @QueryParam("search") String search, @QueryParam("max") Integer max) {
        OvirtEngine e = engine(source, auth);
        OvirtRenderer.Follow f = OvirtRenderer.Follow.parse(follow);
        // Search is parsed and applied before streaming starts: a bad query must be a 400, not a truncated 200.
        Map<String, String> hostNames = hostNames(e);
        Map<String, String> clusterNames = clusterNames(e);
        OvirtSearch<OvVm> s = OvirtSearch.parse(search, Map.of(
                "name", vm -> vm.name,
                "host", vm -> hostNames.get(vm.hostId),
                "cluster", vm -> clusterNames.get(vm.clusterId),
                "status", vm -> vm.status,
                "id", vm -> vm.id));
        List<OvVm> selected;
        synchronized (e) {
            selected = s.apply(e.vms(), max);
        }
        return writeList(accept, e, "vms", "vm", () -> selected,
                (r, d, vm) -> r.vm(d, vm, f));
    }

    @GET
    @Path("/vms/{id}")
    public Response vm(@PathParam("source") String source, @PathParam("id") String id,
                       @HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
                       @HeaderParam(HttpHeaders.ACCEPT) String accept, @QueryParam("follow") String follow) {
        OvirtEngine e = engine(source, auth);
        OvVm vm = e.vm(id).orElseThrow(() -> notFound());
        return write(accept, e, (r, d) -> r.vm(d, vm, OvirtRenderer.Follow.parse(follow)));
    }

    @GET
    @Path("/vms/{id}/diskattachments")
    public Response diskAttachments(@PathParam("source") String source, @PathParam("id") String id,
                                    @HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
                                    @HeaderParam(HttpHeaders.ACCEPT) String accept,
                                    @QueryParam("follow") String follow) {
        OvirtEngine e = engine(source, auth);
        OvVm vm = e.vm(id).orElseThrow(() -> notFound());
        boolean followDisk = follow != null && follow.contains("disk");
        return writeList(accept, e, "disk_attachments", "disk_attachment", () -> vm.disks,
                (r, d, da) -> r.diskAttachment(d, vm, da, followDisk));
    }

    @GET
    @Path("/vms/{id}/numanodes")
    public Response numaNodes(@PathParam("source") String source, @PathParam("id") String id,
                              @HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
                              @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        OvirtEngine e = engine(source, auth);
        OvVm vm = e.vm(id).orElseThrow(() -> notFound());
        return write(accept, e, (r, d) -> r.numaNodes(d, vm));
    }

    @GET
    @Path("/vms/{id}/nics")
    public Response nics(@PathParam("source") String source, @PathParam("id") String id,
                         @HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
                         @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        OvirtEngine e = engine(source, auth);
        OvVm vm = e.vm(id).orElseThrow(() -> notFound());
        return write(accept, e, (r, d) -> r.nics(d, vm));
    }

    @GET
    @Path("/vms/{id}/reporteddevices")
    public Response reportedDevices(@PathParam("source") String source, @PathParam("id") String id,
                                    @HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
                                    @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        OvirtEngine e = engine(source, auth);
        OvVm vm = e.vm(id).orElseThrow(() -> notFound());
        return write(accept, e, (r, d) -> r.reportedDevices(d, vm));
    }

    @GET
    @Path("/vms/{id}/watchdogs")
    public Response watchdogs(@PathParam("source") String source, @PathParam("id") String id,
                              @HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
                              @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        OvirtEngine e = engine(source, auth);
        OvVm vm = e.vm(id).orElseThrow(() -> notFound());
        return write(accept, e, (r, d) -> r.watchdogs(d, vm));
    }

    @GET
    @Path("/disks")
    public Response disks(@PathParam("source") String source, @HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
                          @HeaderParam(HttpHeaders.ACCEPT) String accept, @QueryParam("search") String search,
                          @QueryParam("max") Integer max) {
        OvirtEngine e = engine(source, auth);
        OvirtSearch<OvDisk> s = OvirtSearch.parse(search, Map.of("alias", disk -> disk.alias,
                "name", disk -> disk.alias, "id", disk -> disk.id, "storage_type", disk -> disk.storageType));
        List<OvDisk> selected = s.apply(e.disks(), max);
        return writeList(accept, e, "disks", "disk", () -> selected,
                OvirtRenderer::disk);
    }

    @GET
    @Path("/disks/{id}")
    public Response disk(@PathParam("source") String source, @PathParam("id") String id,
                         @HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
                         @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        OvirtEngine e = engine(source, auth);
        OvDisk disk = e.disk(id).orElseThrow(() -> notFound());
        return write(accept, e, (r, d) -> r.disk(d, disk));
    }

    @GET
    @Path("/hosts")
    public Response hosts(@PathParam("source") String source, @HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
                          @HeaderParam(HttpHeaders.ACCEPT) String accept, @QueryParam("search") String search,
                          @QueryParam("max") Integer max) {
        OvirtEngine e = engine(source, auth);
        Map<String, String> clusterNames = clusterNames(e);
        OvirtSearch<OvHost> s = OvirtSearch.parse(search, Map.of("name", h -> h.name, "status", h -> h.status,
                "cluster", h -> clusterNames.get(h.clusterId), "id", h -> h.id, "address", h -> h.address));
        List<OvHost> selected = s.apply(e.hosts(), max);
        return writeList(accept, e, "hosts", "host", () -> selected,
                OvirtRenderer::host);
    }

    @GET
    @Path("/hosts/{id}")
    public Response host(@PathParam("source") String source, @PathParam("id") String id,
                         @HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
                         @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        OvirtEngine e = engine(source, auth);
        OvHost h = e.host(id).orElseThrow(() -> notFound());
        return write(accept, e, (r, d) -> r.host(d, h));
    }

    @GET
    @Path("/clusters")
    public Response clusters(@PathParam("source") String source, @HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
                             @HeaderParam(HttpHeaders.ACCEPT) String accept, @QueryParam("search") String search,
                             @QueryParam("max") Integer max) {
        OvirtEngine e = engine(source, auth);
        OvirtSearch<OvCluster> s = OvirtSearch.parse(search, Map.of("name", OvCluster::name, "id", OvCluster::id));
        List<OvCluster> selected = s.apply(e.clusters(), max);
        return writeList(accept, e, "clusters", "cluster", () -> selected,
                OvirtRenderer::cluster);
    }

    @GET
    @Path("/clusters/{id}")
    public Response cluster(@PathParam("source") String source, @PathParam("id") String id,
                            @HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
                            @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        OvirtEngine e = engine(source, auth);
        OvCluster c = e.cluster(id).orElseThrow(() -> notFound());
        return write(accept, e, (r, d) -> r.cluster(d, c));
    }

    @GET
    @Path("/datacenters")
    public Response dataCenters(@PathParam("source") String source,
                                @HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
                                @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        OvirtEngine e = engine(source, auth);
        return writeList(accept, e, "data_centers", "data_center", e::dataCenters,
                OvirtRenderer::dataCenter);
    }

    @GET
    @Path("/datacenters/{id}")
    public Response dataCenter(@PathParam("source") String source, @PathParam("id") String id,
                               @HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
                               @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        OvirtEngine e = engine(source, auth);
        OvDataCenter dc = e.dataCenter(id).orElseThrow(() -> notFound());
        return write(accept, e, (r, d) -> r.dataCenter(d, dc));
    }

    @GET
    @Path("/storagedomains")
    public Response storageDomains(@PathParam("source") String source,
                                   @HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
                                   @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        OvirtEngine e = engine(source, auth);
        return writeList(accept, e, "storage_domains", "storage_domain", e::storageDomains,
                OvirtRenderer::storageDomain);
    }

    @GET
    @Path("/storagedomains/{id}")
    public Response storageDomain(@PathParam("source") String source, @PathParam("id") String id,
                                  @HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
                                  @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        OvirtEngine e = engine(source, auth);
        OvStorageDomain sd = e.storageDomain(id).orElseThrow(() -> notFound());
        return write(accept, e, (r, d) -> r.storageDomain(d, sd));
    }

    /** Events with an index above {@code from}, newest first (wire-formats.md D.5). */
    @GET
    @Path("/events")
    public Response events(@PathParam("source") String source, @HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
                           @HeaderParam(HttpHeaders.ACCEPT) String accept, @QueryParam("from") Long from,
                           @QueryParam("max") Integer max) {
        OvirtEngine e = engine(source, auth);
        List<OvEvent> events = e.eventsAfter(from == null ? 0 : from, max == null || max < 0 ? 100_000 : max);
        return writeList(accept, e, "events", "event", () -> events,
                OvirtRenderer::event);
    }

    @POST
    @Path("/vms/{id}/start")
    public Response start(@PathParam("source") String source, @PathParam("id") String id,
                          @HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
                          @HeaderParam(HttpHeaders.ACCEPT) String accept,
                          @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, String body) {
        OvirtEngine e = engine(source, auth);
        OvirtActionBody a = OvirtActionBody.parse(body, isJson(contentType));
        e.start(id, a.placementHostIds().isEmpty() ? null : a.placementHostIds().get(0));
        return write(accept, e, (r, d) -> r.action(d, null));
    }

    @POST
    @Path("/vms/{id}/migrate")
    public Response migrate(@PathParam("source") String source, @PathParam("id") String id,
                            @HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
                            @HeaderParam(HttpHeaders.ACCEPT) String accept,
                            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, String body) {
        OvirtEngine e = engine(source, auth);
        OvirtActionBody a = OvirtActionBody.parse(body, isJson(contentType));
        String target = a.hostId();
        if (target == null && a.hostName() != null) {
            target = e.hosts().stream().filter(h -> h.name.equals(a.hostName())).map(h -> h.id).findFirst()
                    .orElseThrow(() -> SimulatedFault.notFound("Host '" + a.hostName() + "' not found"));
        }
        e.migrate(id, target, a.force());
        return write(accept, e, (r, d) -> r.action(d, null));
    }

    @POST
    @Path("/vms/{id}/stop")
    public Response stop(@PathParam("source") String source, @PathParam("id") String id,
                         @HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
                         @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        OvirtEngine e = engine(source, auth);
        e.stop(id);
        return write(accept, e, (r, d) -> r.action(d, null));
    }

    @POST
    @Path("/hosts/{id}/fence")
    public Response fence(@PathParam("source") String source, @PathParam("id") String id,
                          @HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
                          @HeaderParam(HttpHeaders.ACCEPT) String accept,
                          @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, String body) {
        OvirtEngine e = engine(source, auth);
        OvirtActionBody a = OvirtActionBody.parse(body, isJson(contentType));
        String power = e.fence(id, a.fenceType());
        return write(accept, e, (r, d) -> r.action(d, power));
    }

    // ------------------------------------------------------------------ helpers

    private OvirtEngine engine(String source, String auth) {
        // Only tokens the SSO issued and has not expired, as a real engine: clients must survive the 401 (the SDK
        // leaks a pooled connection on each and does not log in again by itself; ovirt-sdk-wire notes 1.5).
        tokens.check(auth);
        return simulation.ovirt(source).orElseThrow(() -> SimulatedFault.notFound("No oVirt engine '" + source
                + "' in this simulator (have: " + simulation.sourceIds() + ")"));
    }

    private static SimulatedFault notFound() {
        return SimulatedFault.notFound("Entity not found");
    }

    static boolean wantsJson(String accept) {
        return accept != null && accept.contains("json") && !accept.contains("xml");
    }

    private static boolean isJson(String contentType) {
        return contentType != null && contentType.contains("json");
    }

    private static String base(OvirtEngine e) {
        return "/ovirt/" + e.sourceId + "/ovirt-engine/api";
    }

    private static Map<String, String> hostNames(OvirtEngine e) {
        return e.hosts().stream().collect(java.util.stream.Collectors.toMap(h -> h.id, h -> h.name));
    }

    private static Map<String, String> clusterNames(OvirtEngine e) {
        return e.clusters().stream().collect(java.util.stream.Collectors.toMap(OvCluster::id, OvCluster::name));
    }

    /** Streams the document; the engine is locked while it is written so that it is one consistent snapshot. */
    private static Response write(String accept, OvirtEngine e, BiConsumer<OvirtRenderer, OvirtDoc> body) {
        boolean json = wantsJson(accept);
        OvirtRenderer r = new OvirtRenderer(e, base(e));
        StreamingOutput out = os -> {
            synchronized (e) {
                try (OvirtDoc d = json ? OvirtDoc.json(os) : OvirtDoc.xml(os)) {
                    body.accept(r, d);
                }
            }
        };
        return Response.ok(out, json ? JSON : XML).build();
    }

    /**
     * Streams a collection, e.g. {@code <clusters><cluster>…</cluster></clusters>}; the items are read under the
     * engine lock, like everything {@link #write} writes.
     */
    private static <T> Response writeList(String accept, OvirtEngine e, String wrapper, String item,
                                          Supplier<? extends Iterable<T>> items, ItemWriter<T> writer) {
        return write(accept, e, (r, d) -> {
            d.beginList(wrapper, item);
            for (T t : items.get()) {
                writer.write(r, d, t);
            }
            d.endList();
        });
    }

    @FunctionalInterface
    private interface ItemWriter<T> {
        void write(OvirtRenderer r, OvirtDoc d, T item);
    }
}
