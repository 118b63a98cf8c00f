package io.lifeboat.simulator.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.simulator.world.SimulatedFault;
import io.lifeboat.simulator.world.Simulation;
import io.lifeboat.simulator.world.SimulatorConfig;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Keystone v3 password authentication (wire-formats.md A.5): 201 Created, the token in {@code X-Subject-Token}, the
 * body exactly {@code {"token": {...}}} (openstack4j unwraps the root and fails on any other top-level key).
 */
@Path("/openstack/{source}/identity/v3")
@Tag(name = "Keystone v3 (simulated)")
public class KeystoneResource {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Simulation simulation;

    @Inject
    SimulatorConfig config;

    @Inject
    Tokens tokens;

    @GET
    public Response version(@PathParam("source") String source, @Context UriInfo uri) {
        region(source);
        ObjectNode v = JSON.createObjectNode();
        ObjectNode version = v.putObject("version");
        version.put("id", "v3.14").put("status", "stable").put("updated", "2020-04-07T00:00:00Z");
        version.putArray("links").addObject().put("rel", "self").put("href", base(uri, source) + "/identity/v3/");
        return Response.ok(v.toString(), "application/json").build();
    }

    @POST
    @Path("/auth/tokens")
    public Response authenticate(@PathParam("source") String source, @Context UriInfo uri, String body) {
        OpenStackRegion region = region(source);
        JsonNode auth;
        try {
            auth = JSON.readTree(body == null ? "" : body).path("auth");
        } catch (Exception e) {
            throw SimulatedFault.badRequest("Malformed request body: " + e.getMessage());
        }
        JsonNode methods = auth.path("identity").path("methods");
        if (!methods.isArray() || !methods.toString().contains("\"password\"")) {
            throw SimulatedFault.badRequest("Expecting to find identity in auth - the server could not comply with"
                    + " the request since it is either malformed or otherwise incorrect.");
        }
        JsonNode user = auth.path("identity").path("password").path("user");
        String name = user.hasNonNull("name") ? user.get("name").asText() : user.path("id").asText(null);
        String password = user.path("password").asText(null);
        if (!config.openstack().username().equals(name) || !config.openstack().password().equals(password)) {
            throw new SimulatedFault(401, "The request you have made requires authentication.");
        }
        JsonNode project = auth.path("scope").path("project");
        boolean scoped = !project.isMissingNode();
        if (scoped) {
            String p = project.hasNonNull("name") ? project.get("name").asText() : project.path("id").asText();
            if (!p.equals(region.projectName) && !p.equals(region.projectId)) {
                throw new SimulatedFault(401, "The request you have made requires authentication.");
            }
        }
        String token = tokens.issue();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        ObjectNode root = JSON.createObjectNode();
        ObjectNode t = root.putObject("token");
        t.putArray("methods").add("password");
        t.putArray("audit_ids").add(token.substring(6, 28));
        t.put("expires_at", now.plus(12, ChronoUnit.HOURS) + "").put("issued_at", now.toString());
        ObjectNode u = t.putObject("user");
        u.put("id", "u-admin").put("name", name);
        u.putObject("domain").put("id", "default").put("name", "Default");
        if (scoped) {
            ObjectNode p = t.putObject("project");
            p.put("id", region.projectId).put("name", region.projectName);
            p.putObject("domain").put("id", "default").put("name", "Default");
            ArrayNode roles = t.putArray("roles");
            roles.addObject().put("id", "r-admin").put("name", "admin");
            roles.addObject().put("id", "r-member").put("name", "member");
            ArrayNode catalog = t.putArray("catalog");
            String b = base(uri, source);
            // openstack4j matches Cinder by type volumev3 / name cinderv3 ("block-storage" alone is not found) and
            // uses Nova's and Cinder's URLs verbatim, so they carry the version (openstack4j notes 1.3).
            service(catalog, "identity", "keystone", b + "/identity/v3", source);
            service(catalog, "compute", "nova", b + "/compute/v2.1", source);
            service(catalog, "volumev3", "cinderv3", b + "/volume/v3/" + region.projectId, source);
            service(catalog, "image", "glance", b + "/image", source);
        }
        return Response.status(201).header("X-Subject-Token", token).type("application/json")
                .entity(root.toString()).build();
    }

    private static void service(ArrayNode catalog, String type, String name, String url, String region) {
        ObjectNode s = catalog.addObject();
        s.put("type", type).put("name", name).put("id", "svc-" + name);
        ArrayNode eps = s.putArray("endpoints");
        for (String iface : new String[] {"public", "internal", "admin"}) {
            eps.addObject().put("id", "ep-" + name + "-" + iface).put("interface", iface).put("region", region)
                    .put("region_id", region).put("url", url);
        }
    }

    static String base(UriInfo uri, String source) {
        return uri.getBaseUri().toString().replaceAll("/$", "") + "/openstack/" + source;
    }

    private OpenStackRegion region(String source) {
        return simulation.openstack(source).orElseThrow(() -> SimulatedFault.notFound("Could not find region: "
                + source + "."));
    }
}
