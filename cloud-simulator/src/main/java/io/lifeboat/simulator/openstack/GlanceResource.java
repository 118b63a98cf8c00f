package io.lifeboat.simulator.openstack;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.simulator.world.SimulatedFault;
import io.lifeboat.simulator.world.Simulation;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/**
 * Glance v2 images with their properties as flat top-level keys (e.g. {@code hw_watchdog_action}), at
 * {@code /openstack/<source>/image/v2}. Pages of 25 by default, as Glance.
 */
@Path("/openstack/{source}/image/v2")
@Tag(name = "Glance v2 (simulated)")
public class GlanceResource {

    @Inject
    Simulation simulation;

    @Inject
    Tokens tokens;

    @HeaderParam("X-Auth-Token")
    String token;

    @GET
    @Path("/images")
    public Response images(@PathParam("source") String source, @QueryParam("limit") Integer limit,
                           @QueryParam("marker") String marker) {
        OpenStackRegion r = region(source);
        List<GlanceImage> all = r.images();
        int from = 0;
        if (marker != null) {
            from = all.stream().map(GlanceImage::id).toList().indexOf(marker) + 1;
            if (from == 0) {
                throw SimulatedFault.badRequest("Invalid marker " + marker);
            }
        }
        int size = Math.min(limit == null ? 25 : limit, 1000);
        List<GlanceImage> page = all.subList(Math.min(from, all.size()), Math.min(all.size(), from + size));
        ObjectNode root = NovaJson.JSON.createObjectNode();
        ArrayNode list = root.putArray("images");
        page.forEach(i -> list.add(image(i, r)));
        root.put("first", "/v2/images").put("schema", "/v2/schemas/images");
        if (from + page.size() < all.size() && !page.isEmpty()) {
            root.put("next", "/v2/images?marker=" + page.get(page.size() - 1).id() + "&limit=" + size);
        }
        return Response.ok(root.toString(), "application/json").build();
    }

    @GET
    @Path("/images/{id}")
    public Response image(@PathParam("source") String source, @PathParam("id") String id) {
        OpenStackRegion r = region(source);
        GlanceImage i = r.image(id).orElseThrow(() -> SimulatedFault.notFound("No image found with ID " + id));
        return Response.ok(image(i, r).toString(), "application/json").build();
    }

    private static ObjectNode image(GlanceImage i, OpenStackRegion r) {
        ObjectNode o = NovaJson.JSON.createObjectNode();
        o.put("id", i.id()).put("name", i.name()).put("status", "active").put("visibility", "public")
                .put("protected", false).put("os_hidden", false).put("owner", r.projectId)
                .put("container_format", "bare").put("disk_format", "qcow2").put("min_disk", 0).put("min_ram", 0)
                .put("size", 1073741824L).putNull("virtual_size").put("checksum", NovaJson.sha224(i.id())
                        .substring(0, 32))
                .put("created_at", "2024-04-01T00:00:00Z").put("updated_at", "2024-04-01T00:00:00Z");
        o.putArray("tags");
        o.put("self", "/v2/images/" + i.id()).put("file", "/v2/images/" + i.id() + "/file")
                .put("schema", "/v2/schemas/image");
        i.properties().forEach(o::put);
        return o;
    }

    private OpenStackRegion region(String source) {
        tokens.check(token);
        return simulation.openstack(source).orElseThrow(() -> SimulatedFault.notFound("The resource could not be"
                + " found."));
    }
}
