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
 * Cinder v3 volumes with attachments and the {@code volume_wwn} metadata that links a volume to its SVC LUN
 * (wire-formats.md C), at {@code /openstack/<source>/volume/v3/<project_id>}.
 */
@Path("/openstack/{source}/volume/v3/{project}")
@Tag(name = "Cinder v3 (simulated)")
public class CinderResource {

    static final int MAX_LIMIT = 1000;

    @Inject
    Simulation simulation;

    @Inject
    Tokens tokens;

    @HeaderParam("X-Auth-Token")
    String token;

    @GET
    @Path("/volumes/detail")
    public Response volumes(@PathParam("source") String source, @PathParam("project") String project,
                            @QueryParam("all_tenants") String allTenants, @QueryParam("limit") Integer limit,
                            @QueryParam("marker") String marker) {
        OpenStackRegion r = region(source, project);
        ObjectNode root = NovaJson.JSON.createObjectNode();
        ArrayNode list = root.putArray("volumes");
        synchronized (r) {
            List<CinderVolume> all = r.volumes();
            int from = 0;
            if (marker != null) {
                from = -1;
                for (int i = 0; i < all.size(); i++) {
                    if (all.get(i).id.equals(marker)) {
                        from = i + 1;
                    }
                }
                if (from < 0) {
                    throw SimulatedFault.badRequest("Invalid marker: " + marker);
                }
            }
            int size = Math.min(limit == null ? MAX_LIMIT : limit, MAX_LIMIT);
            List<CinderVolume> page = all.subList(Math.min(from, all.size()), Math.min(all.size(), from + size));
            page.forEach(v -> list.add(volume(v)));
            if (from + page.size() < all.size() && !page.isEmpty()) {
                root.putArray("volumes_links").addObject().put("rel", "next").put("href",
                        "volumes/detail?limit=" + size + "&marker=" + page.get(page.size() - 1).id);
            }
        }
        return Response.ok(root.toString(), "application/json").build();
    }

    @GET
    @Path("/volumes/{id}")
    public Response volume(@PathParam("source") String source, @PathParam("project") String project,
                           @PathParam("id") String id) {
        OpenStackRegion r = region(source, project);
        CinderVolume v = r.volume(id).orElseThrow(() -> SimulatedFault.notFound("Volume " + id + " could not be"
                + " found."));
        ObjectNode root = NovaJson.JSON.createObjectNode();
        synchronized (r) {
            root.set("volume", volume(v));
        }
        return Response.ok(root.toString(), "application/json").build();
    }

    private static ObjectNode volume(CinderVolume v) {
        ObjectNode o = NovaJson.JSON.createObjectNode();
        o.put("id", v.id).put("name", v.name).putNull("description");
        o.put("status", v.status).put("size", v.sizeGb).put("availability_zone", "nova").put("volume_type", "svc-gold")
                .put("bootable", "false").put("encrypted", false).put("multiattach", v.multiattach);
        o.putNull("snapshot_id").putNull("source_volid");
        ObjectNode md = o.putObject("metadata");
        v.metadata.forEach(md::put);
        o.put("os-vol-host-attr:host", v.backendHost).put("os-vol-tenant-attr:tenant_id", v.projectId);
        o.putNull("os-vol-mig-status-attr:migstat").putNull("os-vol-mig-status-attr:name_id");
        ArrayNode att = o.putArray("attachments");
        // Only "attached" attachments are listed; host_name is shown to admins (wire-formats.md C.1).
        if (v.serverId != null && "in-use".equals(v.status)) {
            att.addObject().put("id", v.id).put("volume_id", v.id).put("attachment_id", v.attachmentId)
                    .put("server_id", v.serverId).put("host_name", v.attachedHost).put("device", v.device)
                    .put("attached_at", NovaJson.db(v.attachedAt));
        }
        o.putArray("links");
        return o;
    }

    private OpenStackRegion region(String source, String project) {
        tokens.check(token);
        OpenStackRegion r = simulation.openstack(source).orElseThrow(() -> SimulatedFault.notFound("The resource"
                + " could not be found."));
        if (!r.projectId.equals(project)) {
            throw SimulatedFault.notFound("Project " + project + " could not be found.");
        }
        return r;
    }
}
