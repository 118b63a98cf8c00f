package io.lifeboat.mapping.rest;

import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.id.SourceId;
import io.lifeboat.mapping.lineage.HostHistory;
import io.lifeboat.mapping.lineage.HostInterval;
import io.lifeboat.mapping.lineage.IntervalKey;
import io.lifeboat.service.rest.ProblemException;
import io.lifeboat.service.rest.TimeParam;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.core.Response;
import jakarta.transaction.Transactional;
import io.lifeboat.mapping.lineage.VmInterval;
import io.lifeboat.common.plan.UnmapPlan;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
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

import java.time.Instant;
import java.util.List;

@Path("/api/v1/hosts")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Hosts", description = "Host states over time")
@jakarta.annotation.security.RolesAllowed({"viewer", "operator"})
public class HostResource {

    /** The name of the host history in its cursors. */
    private static final String HOST_HISTORY = "host-history";

    @Inject
    HostHistory history;

    @Inject
    io.lifeboat.mapping.plan.UnmapPlanner planner;

    @Inject
    io.quarkus.security.identity.SecurityIdentity identity;

    @GET
    @Operation(summary = "Hosts and their state as of a time (default: now)")
    public List<HostView> hosts(
            @Parameter(description = "RFC 3339 time, e.g. 2024-05-01T10:00:00Z") @QueryParam("asOf") String asOf,
            @Parameter(description = "Only this source (oVirt engine or OpenStack region id)") @QueryParam("source")
            String source) {
        Instant t = TimeParam.parse("asOf", asOf, Instant.now());
        String sourceId = source == null || source.isBlank() ? null : SourceId.of(source).value();
        return history.asOf(t, sourceId).stream().map(HostView::of).toList();
    }

    @GET
    @Path("/{source}/{hostId}/history")
    @Operation(summary = "A host's states over time, newest first (by start, then latest recorded first), a page at a"
            + " time")
    @Parameter(name = "limit", in = ParameterIn.QUERY, description = Paging.LIMIT_DOC,
            schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "1000", defaultValue = "200"))
    @Parameter(name = "after", in = ParameterIn.QUERY, description = Paging.AFTER_DOC,
            schema = @Schema(type = SchemaType.STRING))
    @APIResponse(responseCode = "200", description = "A page of the host's states; the Link rel=\"next\" header leads"
            + " to the next one", headers = {
                    @Header(name = "Link", description = Paging.LINK_DOC, schema = @Schema(type = SchemaType.STRING)),
                    @Header(name = Paging.NEXT_CURSOR, description = Paging.NEXT_CURSOR_DOC,
                            schema = @Schema(type = SchemaType.STRING))})
    public RestResponse<List<HostView>> history(@PathParam("source") String source,
                                                @PathParam("hostId") String hostId, @Context UriInfo uri) {
        HostKey key = HostKey.parse(source + "/" + hostId);
        int n = Paging.limit(uri);
        Cursor cursor = Cursor.decode(HOST_HISTORY, Paging.after(uri), 2);
        IntervalKey from = cursor == null ? null : new IntervalKey(cursor.instant(1), cursor.number(2));
        Paging.Page<HostInterval> page = Paging.Page.of(history.history(key, from, n + 1), n,
                i -> Cursor.encode(HOST_HISTORY, i.validFrom, i.id));
        if (page.rows().isEmpty() && (cursor == null || !history.hasHistory(key))) {
            throw ProblemException.notFound("host-not-found", "no history for host " + key);
        }
        return Paging.respond(page.rows().stream().map(HostView::of).toList(), page.next(), uri);
    }

    @GET
    @Path("/{source}/{hostId}/vms")
    @Operation(summary = "The VMs on a host as of a time (default now)")
    @Transactional
    public List<MappingViews.Placement> vmsOnHost(@PathParam("source") String source,
                                                  @PathParam("hostId") String hostId,
                                                  @QueryParam("asOf") String asOf) {
        HostKey host = known(source, hostId);
        Instant t = TimeParam.parse("asOf", asOf, Instant.now());
        return VmInterval.<VmInterval>list("hostKey = ?1 and validFrom <= ?2 and (validTo is null or validTo > ?2)"
                + " order by vmName", host.toString(), t).stream().map(MappingViews.Placement::of).toList();
    }

    /**
     * The unmap plan of a host as of a time (default: when its current failure was first observed, else now), as
     * JSON, CSV, an SVC CLI script or an Ansible playbook. Building it changes nothing, on the SAN or here.
     */
    @GET
    @Path("/{source}/{hostId}/unmap-plan")
    @Produces({MediaType.APPLICATION_JSON, "text/csv", MediaType.TEXT_PLAIN, "application/yaml"})
    @Operation(summary = "The unmap plan of a host as of a time: format=json|csv|svc|ansible (collection="
            + "ibm.spectrum_virtualize|ibm.storage_virtualize)")
    public Response unmapPlan(@PathParam("source") String source, @PathParam("hostId") String hostId,
                              @QueryParam("asOf") String asOf, @QueryParam("format") String format,
                              @QueryParam("collection") String collection) {
        HostKey host = known(source, hostId);
        Instant t = asOf == null || asOf.isBlank() ? planner.defaultAsOf(host) : TimeParam.parse("asOf", asOf, null);
        return MappingResource.render(planner.plan(host, t, "query:" + identity.getPrincipal().getName()), format,
                collection);
    }

    @POST
    @Path("/{source}/{hostId}/unmap-plans")
    @RolesAllowed("operator")
    @Operation(summary = "Build, store and publish an unmap plan on the unmap-plans topic (operator)")
    public Response publishPlan(@PathParam("source") String source, @PathParam("hostId") String hostId,
                                @QueryParam("asOf") String asOf) {
        HostKey host = known(source, hostId);
        Instant t = asOf == null || asOf.isBlank() ? planner.defaultAsOf(host) : TimeParam.parse("asOf", asOf, null);
        UnmapPlan plan = planner.publishFor(host, t, "operator:" + identity.getPrincipal().getName() + ":"
                + java.util.UUID.randomUUID());
        return Response.status(201).entity(plan).build();
    }

    @GET
    @Path("/{source}/{hostId}/unmap-plans")
    @Operation(summary = "Plans published for a host, newest first")
    public List<UnmapPlan> storedPlans(@PathParam("source") String source, @PathParam("hostId") String hostId) {
        return planner.stored(known(source, hostId));
    }

    /** The host named by the path, if Lifeboat ever saw it; else a 404 (a typo must not read as "nothing there"). */
    private HostKey known(String source, String hostId) {
        HostKey host = HostKey.parse(source + "/" + hostId);
        if (!history.known(host)) {
            throw ProblemException.notFound("host-not-found", "Lifeboat has never seen host " + host
                    + " (neither in a source's host inventory nor as the host of a VM)");
        }
        return host;
    }

}
