package io.lifeboat.simulator.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.simulator.world.ApiTraffic;
import io.lifeboat.simulator.world.SimulatedFault;
import io.lifeboat.simulator.world.Simulation;
import io.lifeboat.simulator.world.SimulatorConfig;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Nova v2.1 of each simulated region at {@code /openstack/<source>/compute/v2.1}, honouring the microversion headers
 * (wire-formats.md A; how openstack4j calls it: openstack4j notes 3).
 */
@Path("/openstack/{source}/compute/v2.1")
@Tag(name = "Nova v2.1 (simulated)")
public class NovaResource {

    static final String OS_API_VERSION = "OpenStack-API-Version";
    static final String LEGACY_VERSION = "X-OpenStack-Nova-API-Version";
    /** Nova's {@code [api] max_limit}: the most items one page holds, with or without {@code limit}. */
    static final int MAX_LIMIT = 1000;

    @Inject
    Simulation simulation;

    @Inject
    SimulatorConfig config;

    @Inject
    Tokens tokens;

    @Inject
    ApiTraffic traffic;

    @Context
    UriInfo uri;

    @HeaderParam("X-Auth-Token")
    String token;

    @HeaderParam(OS_API_VERSION)
    String apiVersion;

    @HeaderParam(LEGACY_VERSION)
    String legacyVersion;

    // ------------------------------------------------------------------ version

    /**
     * {@code GET /v2.1/}: the API version document, with the highest microversion the region serves (clients
     * negotiate down to it; a request above it gets 406).
     */
    @GET
    @Path("/")
    public Response versionRoot(@PathParam("source") String source) {
        region(source);
        String max = java.util.Optional.ofNullable(simulation.openstack(source).get().maxMicroversion())
                .orElse(config.openstack().maxMicroversion());
        com.fasterxml.jackson.databind.node.ObjectNode root = NovaJson.JSON.createObjectNode();
        com.fasterxml.jackson.databind.node.ObjectNode v = root.putObject("version");
        v.put("id", "v2.1").put("status", "CURRENT").put("version", max).put("min_version", "2.1")
                .put("updated", "2013-07-23T11:33:21Z");
        v.putArray("links").addObject().put("rel", "self").put("href", uri.getBaseUri() + uri.getPath()
                .replaceFirst("^/", ""));
        v.putArray("media-types").addObject().put("base", "application/json")
                .put("type", "application/vnd.openstack.compute+json;version=2.1");
        return Response.ok(root.toString(), "application/json").build();
    }

    // ------------------------------------------------------------------ servers

    @GET
    @Path("/servers/detail")
    public Response serversDetail(@PathParam("source") String source, @QueryParam("all_tenants") String allTenants,
                                  @QueryParam("host") String host, @QueryParam("deleted") String deleted,
                                  @QueryParam("status") String status, @QueryParam("name") String name,
                                  @QueryParam("limit") Integer limit, @QueryParam("marker") String marker,
                                  @QueryParam("changes-since") String changesSince) {
        return listServers(source, true, host, deleted, status, name, limit, marker, changesSince);
    }

    @GET
    @Path("/servers")
    public Response servers(@PathParam("source") String source, @QueryParam("all_tenants") String allTenants,
                            @QueryParam("host") String host, @QueryParam("deleted") String deleted,
                            @QueryParam("status") String status, @QueryParam("name") String name,
                            @QueryParam("limit") Integer limit, @QueryParam("marker") String marker,
                            @QueryParam("changes-since") String changesSince) {
        return listServers(source, false, host, deleted, status, name, limit, marker, changesSince);
    }

    private Response listServers(String source, boolean detail, String host, String deleted, String status,
                                 String name, Integer limit, String marker, String changesSince) {
        OpenStackRegion r = region(source);
        Microversion v = version(source);
        if (limit != null && limit < 0) {
            throw SimulatedFault.badRequest("limit param must be positive");
        }
        java.time.Instant since = null;
        if (changesSince != null) {
            try {
                since = java.time.OffsetDateTime.parse(changesSince).toInstant();
            } catch (java.time.format.DateTimeParseException e) {
                throw SimulatedFault.badRequest("Invalid input for query parameters changes-since. Value: "
                        + changesSince + ". '" + changesSince + "' is not a 'date-time'");
            }
        }
        java.time.Instant sinceFinal = since;
        // With changes-since, Nova also returns servers deleted since then (wire-formats.md A.4).
        boolean withDeleted = since != null || deleted != null && Set.of("1", "true", "True", "yes").contains(deleted);
        ObjectNode root = NovaJson.JSON.createObjectNode();
        ArrayNode list = root.putArray("servers");
        String cb = computeBase(source);
        synchronized (r) {
            // Nova's default sort: created_at desc, then id desc.
            List<NovaServer> all = r.servers().stream()
                    .filter(s -> withDeleted || !s.deleted)
                    .filter(s -> sinceFinal == null || !s.updatedAt.isBefore(sinceFinal))
                    .filter(s -> host == null || host.equals(s.host))
                    .filter(s -> status == null || status.equalsIgnoreCase(s.status()))
                    .filter(s -> name == null || s.name.matches(".*" + name + ".*"))
                    .sorted(Comparator.comparing((NovaServer s) -> s.createdAt).thenComparing(s -> s.id).reversed())
                    .toList();
            int from = 0;
            if (marker != null) {
                from = -1;
                for (int i = 0; i < all.size(); i++) {
                    if (all.get(i).id.equals(marker)) {
                        from = i + 1;
                        break;
                    }
                }
                if (from < 0) {
                    throw SimulatedFault.badRequest("marker [" + marker + "] not found");
                }
            }
            int pageSize = Math.min(limit == null ? MAX_LIMIT : limit, MAX_LIMIT);
            List<NovaServer> page = all.subList(Math.min(from, all.size()), Math.min(all.size(), from + pageSize));
            for (NovaServer s : page) {
                if (detail) {
                    list.add(NovaJson.server(r, s, v, cb));
                } else {
                    ObjectNode o = list.addObject().put("id", s.id).put("name", s.name);
                    o.putArray("links").addObject().put("rel", "self").put("href", cb + "/servers/" + s.id);
                }
            }
            if (from + page.size() < all.size() && !page.isEmpty()) {
                // A full page with more behind it: Nova adds a next link (openstack4j never follows it).
                String next = cb + (detail ? "/servers/detail" : "/servers") + "?limit=" + pageSize + "&marker="
                        + page.get(page.size() - 1).id + (withDeleted ? "&deleted=true" : "")
                        + (host != null ? "&host=" + host : "");
                root.putArray("servers_links").addObject().put("rel", "next").put("href", next);
            }
        }
        return ok(root, v);
    }

    @GET
    @Path("/servers/{id}")
    public Response server(@PathParam("source") String source, @PathParam("id") String id) {
        OpenStackRegion r = region(source);
        Microversion v = version(source);
        NovaServer s = r.server(id).filter(x -> !x.deleted).orElseThrow(() -> SimulatedFault.notFound("Instance "
                + id + " could not be found."));
        ObjectNode root = NovaJson.JSON.createObjectNode();
        synchronized (r) {
            root.set("server", NovaJson.server(r, s, v, computeBase(source)));
        }
        return ok(root, v);
    }

    @DELETE
    @Path("/servers/{id}")
    public Response deleteServer(@PathParam("source") String source, @PathParam("id") String id) {
        OpenStackRegion r = region(source);
        Microversion v = version(source);
        r.delete(id);
        return Response.noContent().header(OS_API_VERSION, "compute " + v).build();
    }

    @POST
    @Path("/servers/{id}/action")
    public Response serverAction(@PathParam("source") String source, @PathParam("id") String id, String body) {
        OpenStackRegion r = region(source);
        Microversion v = version(source);
        JsonNode json;
        try {
            json = NovaJson.JSON.readTree(body == null ? "" : body);
        } catch (Exception e) {
            throw SimulatedFault.badRequest("Malformed request body");
        }
        if (json == null || !json.isObject() || json.size() != 1) {
            throw SimulatedFault.badRequest("Malformed request body: exactly one action is expected");
        }
        String action = json.fieldNames().next();
        JsonNode args = json.get(action);
        traffic.record(source, "nova.action." + action);
        switch (action) {
            case "evacuate" -> {
                return evacuate(r, id, args, v);
            }
            case "os-start" -> r.start(id);
            case "os-stop" -> r.stop(id);
            case "os-resetState" -> r.resetState(id, args.path("state").asText(null));
            case "restore" -> r.restore(id);
            case "forceDelete" -> r.forceDelete(id);
            default -> throw SimulatedFault.badRequest("There is no such action: " + action);
        }
        return Response.accepted().header(OS_API_VERSION, "compute " + v).build();
    }

    /**
     * The request schema per microversion first (nova/api/openstack/compute/schemas/evacuate.py), then the checks of
     * {@link OpenStackRegion#evacuate}. The answer is 200 with {@code {"adminPass"}} up to 2.13 and an empty body from
     * 2.14 (wire-formats.md A.1).
     */
    private Response evacuate(OpenStackRegion r, String id, JsonNode args, Microversion v) {
        if (args == null || !args.isObject()) {
            throw SimulatedFault.badRequest("Invalid input for field/attribute evacuate. Value: " + args
                    + ". " + args + " is not of type 'object'");
        }
        Set<String> allowed = v.atLeast(68) ? Set.of("host", "adminPass")
                : v.atLeast(29) ? Set.of("host", "adminPass", "force")
                : v.atLeast(14) ? Set.of("host", "adminPass")
                : Set.of("host", "adminPass", "onSharedStorage");
        for (Iterator<String> it = args.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw SimulatedFault.badRequest("Invalid input for field/attribute evacuate. Value: " + args
                        + ". Additional properties are not allowed ('" + f + "' was unexpected)");
            }
        }
        if (!v.atLeast(14) && !args.has("onSharedStorage")) {
            throw SimulatedFault.badRequest("Invalid input for field/attribute evacuate. Value: " + args
                    + ". 'onSharedStorage' is a required property");
        }
        String host = args.hasNonNull("host") ? args.get("host").asText() : null;
        boolean onShared = args.has("onSharedStorage") && truthy(args.get("onSharedStorage"));
        if (onShared && args.hasNonNull("adminPass")) {
            throw SimulatedFault.badRequest("admin password can't be changed on existing disk");
        }
        if (args.path("force").asBoolean(false) && host == null) {
            throw SimulatedFault.badRequest("Can't force to a non-provided destination");
        }
        r.evacuate(id, host, v.atLeast(95));
        if (v.atLeast(14)) {
            return Response.ok().header(OS_API_VERSION, "compute " + v).build();
        }
        ObjectNode body = NovaJson.JSON.createObjectNode().put("adminPass", UUID.randomUUID().toString()
                .substring(0, 12));
        return ok(body, v);
    }

    private static boolean truthy(JsonNode n) {
        return n.isBoolean() ? n.asBoolean() : Set.of("true", "1", "yes", "on").contains(n.asText().toLowerCase());
    }

    // ------------------------------------------------------------------ os-services

    @GET
    @Path("/os-services")
    public Response services(@PathParam("source") String source, @QueryParam("host") String host,
                             @QueryParam("binary") String binary) {
        OpenStackRegion r = region(source);
        Microversion v = version(source);
        ObjectNode root = NovaJson.JSON.createObjectNode();
        ArrayNode list = root.putArray("services");
        if (binary == null || "nova-compute".equals(binary)) {
            synchronized (r) {
                for (NovaService s : r.services()) {
                    if (host == null || host.equals(s.host)) {
                        list.add(NovaJson.service(r, s, v));
                    }
                }
            }
        }
        return ok(root, v);
    }

    /** 2.1-2.52: {@code PUT /os-services/{enable|disable|disable-log-reason|force-down}} with host and binary. */
    @PUT
    @Path("/os-services/{action}")
    public Response updateService(@PathParam("source") String source, @PathParam("action") String action,
                                  String body) {
        OpenStackRegion r = region(source);
        Microversion v = version(source);
        JsonNode json = parse(body);
        if (v.atLeast(53)) {
            return updateServiceById(r, action, json, v);
        }
        String host = json.path("host").asText(null);
        String binary = json.path("binary").asText(null);
        if (host == null || binary == null) {
            throw SimulatedFault.badRequest("Invalid input for field/attribute host/binary: both are required");
        }
        if (!"nova-compute".equals(binary)) {
            throw SimulatedFault.badRequest("Updating a " + binary + " service is not supported. Only nova-compute"
                    + " services can be updated.");
        }
        NovaService s;
        ObjectNode out = NovaJson.JSON.createObjectNode();
        ObjectNode svc = out.putObject("service").put("host", host).put("binary", binary);
        switch (action) {
            case "enable" -> {
                s = r.setStatus(host, "enabled", null);
                svc.put("status", s.status);
            }
            case "disable" -> {
                s = r.setStatus(host, "disabled", null);
                svc.put("status", s.status);
            }
            case "disable-log-reason" -> {
                s = r.setStatus(host, "disabled", json.path("disabled_reason").asText(null));
                svc.put("status", s.status).put("disabled_reason", s.disabledReason);
            }
            case "force-down" -> {
                if (!v.atLeast(11)) {
                    throw SimulatedFault.notFound("Unknown action");
                }
                if (!json.has("forced_down")) {
                    throw SimulatedFault.badRequest("Invalid input for field/attribute service. 'forced_down' is a"
                            + " required property");
                }
                s = r.setForcedDown(host, truthy(json.get("forced_down")));
                svc.put("forced_down", s.forcedDown);
            }
            default -> throw SimulatedFault.notFound("Unknown action");
        }
        return ok(out, v);
    }

    /** 2.53+: {@code PUT /os-services/{service_uuid}} with forced_down / status / disabled_reason. */
    private Response updateServiceById(OpenStackRegion r, String id, JsonNode json, Microversion v) {
        if (!id.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")) {
            throw SimulatedFault.badRequest("Invalid uuid " + id);
        }
        NovaService s = r.serviceById(id).orElseThrow(() -> SimulatedFault.notFound("Service " + id + " not found."));
        if (!json.has("forced_down") && !json.has("status")) {
            throw SimulatedFault.badRequest("No updates were requested. Fields 'status' or 'forced_down' should be"
                    + " specified.");
        }
        if (json.has("status")) {
            r.setStatus(s.host, json.get("status").asText(), json.hasNonNull("disabled_reason")
                    ? json.get("disabled_reason").asText() : null);
        } else if (json.has("disabled_reason")) {
            throw SimulatedFault.badRequest("Specifying 'disabled_reason' without 'status' is invalid.");
        }
        if (json.has("forced_down")) {
            r.setForcedDown(s.host, truthy(json.get("forced_down")));
        }
        ObjectNode out = NovaJson.JSON.createObjectNode();
        synchronized (r) {
            out.set("service", NovaJson.service(r, s, v));
        }
        return ok(out, v);
    }

    // ------------------------------------------------------------------ hypervisors, migrations

    @GET
    @Path("/os-hypervisors")
    public Response hypervisors(@PathParam("source") String source,
                                @QueryParam("hypervisor_hostname_pattern") String pattern,
                                @QueryParam("with_servers") String withServers) {
        return hypervisorList(source, false, pattern, withServers);
    }

    @GET
    @Path("/os-hypervisors/detail")
    public Response hypervisorsDetail(@PathParam("source") String source,
                                      @QueryParam("hypervisor_hostname_pattern") String pattern,
                                      @QueryParam("with_servers") String withServers) {
        return hypervisorList(source, true, pattern, withServers);
    }

    private Response hypervisorList(String source, boolean detail, String pattern, String withServers) {
        OpenStackRegion r = region(source);
        Microversion v = version(source);
        if ((pattern != null || withServers != null) && !v.atLeast(53)) {
            throw SimulatedFault.badRequest("Invalid input for query parameters hypervisor_hostname_pattern /"
                    + " with_servers: they need microversion 2.53");
        }
        boolean servers = "true".equalsIgnoreCase(withServers) || "1".equals(withServers);
        ObjectNode root = NovaJson.JSON.createObjectNode();
        ArrayNode list = root.putArray("hypervisors");
        synchronized (r) {
            for (NovaService s : r.services()) {
                // The pattern is SQL LIKE '%P%': cmp-a1 also matches cmp-a10 (wire-formats.md A.3).
                if (pattern == null || s.hypervisorHostname.contains(pattern)) {
                    list.add(NovaJson.hypervisor(r, s, v, detail, servers));
                }
            }
        }
        if (pattern != null && list.isEmpty()) {
            throw SimulatedFault.notFound("No hypervisor matching '" + pattern + "' could be found.");
        }
        return ok(root, v);
    }

    @GET
    @Path("/os-hypervisors/{id}")
    public Response hypervisor(@PathParam("source") String source, @PathParam("id") String id,
                               @QueryParam("with_servers") String withServers) {
        OpenStackRegion r = region(source);
        Microversion v = version(source);
        ObjectNode root = NovaJson.JSON.createObjectNode();
        synchronized (r) {
            NovaService s = r.services().stream()
                    .filter(x -> v.atLeast(53) ? x.hypervisorUuid.equals(id) : Integer.toString(x.hypervisorIntId)
                            .equals(id))
                    .findFirst().orElseThrow(() -> SimulatedFault.notFound("Hypervisor with ID " + id
                            + " could not be found."));
            root.set("hypervisor", NovaJson.hypervisor(r, s, v, true, "true".equalsIgnoreCase(withServers)));
        }
        return ok(root, v);
    }

    /** Up to 2.52: {@code GET /os-hypervisors/{pattern}/servers}. */
    @GET
    @Path("/os-hypervisors/{pattern}/servers")
    public Response hypervisorServers(@PathParam("source") String source, @PathParam("pattern") String pattern) {
        OpenStackRegion r = region(source);
        Microversion v = version(source);
        if (v.atLeast(53)) {
            throw SimulatedFault.notFound("The resource could not be found.");
        }
        ObjectNode root = NovaJson.JSON.createObjectNode();
        ArrayNode list = root.putArray("hypervisors");
        synchronized (r) {
            for (NovaService s : r.services()) {
                if (s.hypervisorHostname.contains(pattern)) {
                    list.add(NovaJson.hypervisor(r, s, v, false, true));
                }
            }
        }
        if (list.isEmpty()) {
            throw SimulatedFault.notFound("No hypervisor matching '" + pattern + "' could be found.");
        }
        return ok(root, v);
    }

    @GET
    @Path("/os-migrations")
    public Response migrations(@PathParam("source") String source, @QueryParam("instance_uuid") String instance,
                               @QueryParam("source_compute") String sourceCompute,
                               @QueryParam("migration_type") String type, @QueryParam("status") String status) {
        OpenStackRegion r = region(source);
        Microversion v = version(source);
        ObjectNode root = NovaJson.JSON.createObjectNode();
        ArrayNode list = root.putArray("migrations");
        List<NovaMigration> ms = new ArrayList<>(r.migrations());
        ms.sort(Comparator.comparing((NovaMigration m) -> m.createdAt).reversed());
        synchronized (r) {
            for (NovaMigration m : ms) {
                if ((instance == null || instance.equals(m.serverId))
                        && (sourceCompute == null || sourceCompute.equals(m.sourceCompute))
                        && (type == null || type.equals(m.migrationType))
                        && (status == null || status.equals(m.status))) {
                    list.add(NovaJson.migration(m, v));
                }
            }
        }
        return ok(root, v);
    }

    // ------------------------------------------------------------------ flavors

    @GET
    @Path("/flavors/detail")
    public Response flavorsDetail(@PathParam("source") String source) {
        return flavorList(source, true);
    }

    @GET
    @Path("/flavors")
    public Response flavors(@PathParam("source") String source) {
        return flavorList(source, false);
    }

    private Response flavorList(String source, boolean detail) {
        OpenStackRegion r = region(source);
        Microversion v = version(source);
        ObjectNode root = NovaJson.JSON.createObjectNode();
        ArrayNode list = root.putArray("flavors");
        for (NovaFlavor f : r.flavors()) {
            ObjectNode o = NovaJson.flavor(f, v, computeBase(source));
            if (!detail) {
                ObjectNode brief = list.addObject().put("id", f.id()).put("name", f.name());
                brief.set("links", o.get("links"));
            } else {
                list.add(o);
            }
        }
        return ok(root, v);
    }

    @GET
    @Path("/flavors/{id}")
    public Response flavor(@PathParam("source") String source, @PathParam("id") String id) {
        OpenStackRegion r = region(source);
        Microversion v = version(source);
        NovaFlavor f = r.flavor(id).orElseThrow(() -> SimulatedFault.notFound("Flavor " + id + " could not be"
                + " found."));
        ObjectNode root = NovaJson.JSON.createObjectNode();
        root.set("flavor", NovaJson.flavor(f, v, computeBase(source)));
        return ok(root, v);
    }

    @GET
    @Path("/flavors/{id}/os-extra_specs")
    public Response extraSpecs(@PathParam("source") String source, @PathParam("id") String id) {
        OpenStackRegion r = region(source);
        Microversion v = version(source);
        NovaFlavor f = r.flavor(id).orElseThrow(() -> SimulatedFault.notFound("Flavor " + id + " could not be"
                + " found."));
        ObjectNode root = NovaJson.JSON.createObjectNode();
        ObjectNode es = root.putObject("extra_specs");
        f.extraSpecs().forEach(es::put);
        return ok(root, v);
    }

    // ------------------------------------------------------------------ helpers

    private OpenStackRegion region(String source) {
        tokens.check(token);
        return simulation.openstack(source).orElseThrow(() -> SimulatedFault.notFound("The resource could not be"
                + " found."));
    }

    /** The request's microversion, within the region's maximum (its setting, else the simulator's). */
    private Microversion version(String source) {
        String max = simulation.openstack(source).map(OpenStackRegion::maxMicroversion).orElse(null);
        return Microversion.fromHeaders(apiVersion, legacyVersion, Microversion.parse(max != null ? max
                : config.openstack().maxMicroversion()));
    }

    private String computeBase(String source) {
        return KeystoneResource.base(uri, source) + "/compute/v2.1";
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode n = NovaJson.JSON.readTree(body == null ? "" : body);
            if (n == null || !n.isObject()) {
                throw SimulatedFault.badRequest("Malformed request body");
            }
            return n;
        } catch (SimulatedFault f) {
            throw f;
        } catch (Exception e) {
            throw SimulatedFault.badRequest("Malformed request body");
        }
    }

    private static Response ok(ObjectNode body, Microversion v) {
        return Response.ok(body.toString(), "application/json")
                .header(OS_API_VERSION, "compute " + v)
                .header(LEGACY_VERSION, v.toString())
                .header("Vary", OS_API_VERSION + ", " + LEGACY_VERSION)
                .build();
    }
}
