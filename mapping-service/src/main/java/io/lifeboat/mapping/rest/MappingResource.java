package io.lifeboat.mapping.rest;

import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.id.VmKey;
import io.lifeboat.common.lun.LunWwid;
import io.lifeboat.common.plan.UnmapPlan;
import io.lifeboat.mapping.lineage.IntervalKey;
import io.lifeboat.mapping.lineage.LunHistory;
import io.lifeboat.mapping.lineage.VmDiskInterval;
import io.lifeboat.mapping.lineage.VmHistory;
import io.lifeboat.mapping.lineage.VmInterval;
import io.lifeboat.mapping.plan.UnmapPlanFormats;
import io.lifeboat.mapping.plan.UnmapPlanner;
import io.lifeboat.mapping.search.InventorySearch;
import io.lifeboat.service.rest.ProblemException;
import io.lifeboat.service.rest.TimeParam;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.List;

/** History queries and unmap plans (viewer; generating and publishing a plan: operator). */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Lineage and unmap plans")
@RolesAllowed({"viewer", "operator"})
public class MappingResource {

    /** The names of the listings in their cursors. */
    private static final String LINEAGE = "lineage";
    private static final String LUN_HISTORY = "lun-history";
    private static final String SEARCH = "search";

    @Inject
    VmHistory vms;

    @Inject
    UnmapPlanner planner;

    @Inject
    LunHistory luns;

    @Inject
    InventorySearch search;

    @Inject
    SecurityIdentity identity;

    @GET
    @Path("/vms/{source}/{vmId}/lineage")
    @Operation(summary = "A VM's hosts, statuses, disks and LUNs over time, newest first, a page at a time: up to"
            + " limit placements and up to limit disks per page, each list going on where it stopped (a list read to"
            + " its end is empty on the pages after); nextCursor (also the X-Next-Cursor and Link headers) is null on"
            + " the last page")
    @Parameter(name = "limit", in = ParameterIn.QUERY, description = Paging.LIMIT_DOC + " (of each list)",
            schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "1000", defaultValue = "200"))
    @Parameter(name = "after", in = ParameterIn.QUERY, description = Paging.AFTER_DOC,
            schema = @Schema(type = SchemaType.STRING))
    @APIResponse(responseCode = "200", description = "A page of the VM's lineage; the Link rel=\"next\" header leads"
            + " to the next one", headers = {
                    @Header(name = "Link", description = Paging.LINK_DOC, schema = @Schema(type = SchemaType.STRING)),
                    @Header(name = Paging.NEXT_CURSOR, description = Paging.NEXT_CURSOR_DOC,
                            schema = @Schema(type = SchemaType.STRING))})
    @Transactional
    public RestResponse<MappingViews.Lineage> lineage(@PathParam("source") String source,
                                                      @PathParam("vmId") String vmId, @Context UriInfo uri) {
        VmKey vm = VmKey.parse(source + "/" + vmId);
        int n = Paging.limit(uri);
        // The cursor holds where each list stopped: the last placement (start, id) and the last disk (start, disk id,
        // id), each null once its list has been read to its end.
        Cursor cursor = Cursor.decode(LINEAGE, Paging.after(uri), 5);
        boolean placementsDone = false;
        boolean disksDone = false;
        IntervalKey placementsAfter = null;
        VmHistory.DiskKey disksAfter = null;
        if (cursor != null) {
            placementsDone = cursor.isNull(1) && cursor.isNull(2);
            disksDone = cursor.isNull(3) && cursor.isNull(4) && cursor.isNull(5);
            if (placementsDone && disksDone) {
                throw Cursor.invalid("it is past the end of both lists");
            }
            if (!placementsDone) {
                placementsAfter = new IntervalKey(cursor.instant(1), cursor.number(2));
            }
            if (!disksDone) {
                Cursor.Text diskId = cursor.text(4);
                disksAfter = new VmHistory.DiskKey(cursor.instant(3), diskId.value(), diskId.md5(), cursor.number(5));
            }
        }
        List<VmInterval> placements = placementsDone ? List.of() : vms.placements(vm, placementsAfter, n + 1);
        List<VmDiskInterval> disks = disksDone ? List.of() : vms.disks(vm, disksAfter, n + 1);
        if (placements.isEmpty() && (cursor == null || disks.isEmpty() && !vms.hasHistory(vm))) {
            throw ProblemException.notFound("vm-not-found", "no history for VM " + vm);
        }
        String next = lineageCursor(placements.size() > n ? placements.get(n - 1) : null,
                disks.size() > n ? disks.get(n - 1) : null);
        return Paging.respond(new MappingViews.Lineage(vm.toString(),
                placements.stream().limit(n).map(MappingViews.Placement::of).toList(),
                disks.stream().limit(n).map(MappingViews.Disk::of).toList(), next), next, uri);
    }

    /** The lineage's next cursor: where each list stops on this page, null for a list read to its end. */
    private static String lineageCursor(VmInterval lastPlacement, VmDiskInterval lastDisk) {
        if (lastPlacement == null && lastDisk == null) {
            return null;
        }
        Object[] key = new Object[5];
        if (lastPlacement != null) {
            key[0] = lastPlacement.validFrom;
            key[1] = lastPlacement.id;
        }
        if (lastDisk != null) {
            key[2] = lastDisk.validFrom;
            key[3] = lastDisk.diskId;
            key[4] = lastDisk.id;
        }
        return Cursor.encode(LINEAGE, key);
    }

    @GET
    @Path("/luns/{wwid}/history")
    @Operation(summary = "Which VMs and hosts had a LUN, and which block storage domains it backed, and when (WWID in"
            + " any form: multipath, SVC UID, naa.); newest first (at the same start a VM's disk before a storage"
            + " domain), a page at a time")
    @Parameter(name = "limit", in = ParameterIn.QUERY, description = Paging.LIMIT_DOC,
            schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "1000", defaultValue = "200"))
    @Parameter(name = "after", in = ParameterIn.QUERY, description = Paging.AFTER_DOC,
            schema = @Schema(type = SchemaType.STRING))
    @APIResponse(responseCode = "200", description = "A page of the LUN's history; the Link rel=\"next\" header leads"
            + " to the next one", headers = {
                    @Header(name = "Link", description = Paging.LINK_DOC, schema = @Schema(type = SchemaType.STRING)),
                    @Header(name = Paging.NEXT_CURSOR, description = Paging.NEXT_CURSOR_DOC,
                            schema = @Schema(type = SchemaType.STRING))})
    @Transactional
    public RestResponse<List<MappingViews.LunUse>> lunHistory(@PathParam("wwid") String text,
                                                              @Context UriInfo uri) {
        LunWwid wwid = LunWwid.parse(text);
        int n = Paging.limit(uri);
        Cursor cursor = Cursor.decode(LUN_HISTORY, Paging.after(uri), 4);
        LunHistory.Key from = cursor == null ? null : new LunHistory.Key(cursor.instant(1), cursor.number(2, 0, 1),
                cursor.number(3), cursor.number(4));
        Paging.Page<LunHistory.Use> page = Paging.Page.of(luns.uses(wwid, from, n + 1), n, u -> Cursor.encode(
                LUN_HISTORY, u.key().since(), u.key().kind(), u.key().first(), u.key().second()));
        return Paging.respond(page.rows().stream().map(u -> new MappingViews.LunUse(wwid.multipathWwid(),
                wwid.svcVdiskUid(), u.vmKey(), u.vmName(), u.diskId(), u.hostKey(), u.hostName(), u.since(),
                u.until(), u.storageDomain())).toList(), page.next(), uri);
    }

    @GET
    @Path("/search")
    @Operation(summary = "VMs by any name they have had, hosts by name, LUNs by WWID in any form; a page at a time,"
            + " in sections: the LUN's VMs, the LUN's storage domains (both for a WWID), the VMs, the hosts, each by"
            + " key")
    @Parameter(name = "limit", in = ParameterIn.QUERY, description = Paging.LIMIT_DOC,
            schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "1000", defaultValue = "200"))
    @Parameter(name = "after", in = ParameterIn.QUERY, description = Paging.AFTER_DOC,
            schema = @Schema(type = SchemaType.STRING))
    @APIResponse(responseCode = "200", description = "A page of hits; the Link rel=\"next\" header leads to the next"
            + " one", headers = {
                    @Header(name = "Link", description = Paging.LINK_DOC, schema = @Schema(type = SchemaType.STRING)),
                    @Header(name = Paging.NEXT_CURSOR, description = Paging.NEXT_CURSOR_DOC,
                            schema = @Schema(type = SchemaType.STRING))})
    @Transactional
    public RestResponse<List<MappingViews.Hit>> search(@Parameter(description = "a name fragment or a WWID")
                                                       @QueryParam("q") String q, @Context UriInfo uri) {
        if (q == null || q.isBlank() || q.strip().length() < 2) {
            throw ProblemException.badRequest("invalid-parameter", "query parameter 'q' needs at least 2 characters");
        }
        int n = Paging.limit(uri);
        Cursor cursor = Cursor.decode(SEARCH, Paging.after(uri), 2);
        InventorySearch.After from = null;
        if (cursor != null) {
            InventorySearch.Section section = InventorySearch.Section.values()[cursor.number(1, 0,
                    InventorySearch.Section.values().length - 1)];
            Cursor.Text position = cursor.text(2);
            from = new InventorySearch.After(section, position.value(), position.md5());
        }
        Paging.Page<InventorySearch.Hit> page = Paging.Page.of(search.find(q.strip(), from, n + 1), n,
                h -> Cursor.encode(SEARCH, h.section().ordinal(), h.position()));
        return Paging.respond(page.rows().stream().map(h -> new MappingViews.Hit(h.kind(), h.key(), h.name(),
                h.detail())).toList(), page.next(), uri);
    }

    static Response render(UnmapPlan plan, String format, String collection) {
        String f = format == null ? "json" : format.toLowerCase();
        if (collection != null && !"ansible".equals(f)) {
            throw ProblemException.badRequest("invalid-parameter", "collection applies to format=ansible only");
        }
        return switch (f) {
            case "json" -> Response.ok(plan, MediaType.APPLICATION_JSON).build();
            case "csv" -> Response.ok(UnmapPlanFormats.csv(plan), "text/csv").header("Content-Disposition",
                    "attachment; filename=\"unmap-plan-" + fileName(plan) + ".csv\"").build();
            case "svc" -> Response.ok(UnmapPlanFormats.svcScript(plan), "text/plain").header("Content-Disposition",
                    "attachment; filename=\"unmap-" + fileName(plan) + ".svc\"").build();
            case "ansible" -> {
                String c = collection == null ? UnmapPlanFormats.ANSIBLE_COLLECTIONS.get(0) : collection;
                if (!UnmapPlanFormats.ANSIBLE_COLLECTIONS.contains(c)) {
                    throw ProblemException.badRequest("invalid-parameter", "collection must be one of "
                            + UnmapPlanFormats.ANSIBLE_COLLECTIONS + ", got '" + collection + "'");
                }
                yield Response.ok(UnmapPlanFormats.ansiblePlaybook(plan, c), "application/yaml").header(
                        "Content-Disposition", "attachment; filename=\"unmap-" + fileName(plan) + ".yml\"").build();
            }
            default -> throw ProblemException.badRequest("invalid-parameter", "format must be json, csv, svc or"
                    + " ansible, got '" + format + "'");
        };
    }

    /** The host's name as a file name: a quote or a slash from the cloud never reaches the header. */
    private static String fileName(UnmapPlan plan) {
        String n = plan.hostName().replaceAll("[^A-Za-z0-9._-]", "_");
        return n.length() > 100 ? n.substring(0, 100) : n;
    }
}
