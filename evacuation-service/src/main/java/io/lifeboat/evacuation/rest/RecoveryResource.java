package io.lifeboat.evacuation.rest;

import io.lifeboat.evacuation.operator.OperatorActions;
import io.lifeboat.evacuation.operator.OperatorEvacuations;
import io.lifeboat.service.rest.ProblemException;
import io.lifeboat.service.rest.StrictParams;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
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
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.UUID;

/**
 * Episodes, runs, moves and the audit trail for dashboards (viewer), and the operators' actions (operator), each with
 * {@code dryRun=true} returning the plan and what would block it, changing nothing.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Host failures and recovery")
public class RecoveryResource {

    private static final String DRY_RUN = "true: return the plan and its blockers and change nothing; exactly true or"
            + " false, anything else is a 400";

    @Inject
    RecoveryReads reads;

    @Inject
    OperatorActions actions;

    @Inject
    OperatorEvacuations evacuations;

    @Inject
    SecurityIdentity identity;

    /**
     * The body of an operator action; every field optional. Read strictly ({@link ActionRequestReader}):
     * {@code confirmFenced} is the JSON literal true or false, and a field the action does not know is refused.
     */
    @JsonDeserialize(using = ActionRequestReader.class)
    public record ActionRequest(Boolean confirmFenced, String targetHost, String reason) {
        boolean fenced() {
            return Boolean.TRUE.equals(confirmFenced);
        }
    }

    // ------------------------------------------------------------------ reads

    @GET
    @Path("/episodes")
    @RolesAllowed({"viewer", "operator"})
    @Operation(summary = "Host-failure episodes, newest first; filter by open, source, host (key or name), phase")
    public List<Views.Episode> episodes(@QueryParam("open") String openText, @QueryParam("source") String source,
                                        @QueryParam("host") String host, @QueryParam("phase") String phase,
                                        @QueryParam("limit") @DefaultValue("100") int limit) {
        Boolean open = openText == null ? null : StrictParams.bool("open", openText, false);
        return reads.episodes(open, source, host, phase, limit(limit));
    }

    @GET
    @Path("/episodes/{id}")
    @RolesAllowed({"viewer", "operator"})
    @Operation(summary = "One episode with its runs")
    public Views.Episode episode(@PathParam("id") String id) {
        return reads.episode(uuid(id)).orElseThrow(() ->
                ProblemException.notFound("episode-not-found", "no host-failure episode " + id));
    }

    @GET
    @Path("/runs")
    @RolesAllowed({"viewer", "operator"})
    @Operation(summary = "Recovery runs with their moves, newest first; filter by state, source, host key")
    public List<Views.Run> runs(@QueryParam("state") String state, @QueryParam("source") String source,
                                @QueryParam("host") String host, @QueryParam("limit") @DefaultValue("50") int limit) {
        return reads.runs(state, source, host, limit(limit));
    }

    @GET
    @Path("/runs/{id}")
    @RolesAllowed({"viewer", "operator"})
    @Operation(summary = "One run: its step, timings and every instance's move")
    public Views.Run run(@PathParam("id") String id) {
        return reads.run(uuid(id)).orElseThrow(() -> ProblemException.notFound("run-not-found",
                "no recovery run " + id));
    }

    @GET
    @Path("/audit")
    @RolesAllowed({"viewer", "operator"})
    @Operation(summary = "The audit trail, newest first; filter by target (host key, VM key, run) and actor")
    public List<Views.Audit> audit(@QueryParam("target") String target, @QueryParam("actor") String actor,
                                   @QueryParam("limit") @DefaultValue("200") int limit) {
        return reads.audit(target, actor, limit(limit));
    }

    // ------------------------------------------------------------------ operator actions

    @POST
    @Path("/runs/{id}/approve")
    @RolesAllowed("operator")
    @Consumes(MediaType.APPLICATION_JSON)
    @Parameter(name = "dryRun", in = ParameterIn.QUERY, description = DRY_RUN,
            schema = @Schema(type = SchemaType.STRING, enumeration = {"true", "false"}))
    @Operation(summary = "Approve a waiting run; confirmFenced=true states the host is powered off when no fencer did")
    public OperatorActions.Outcome approve(@PathParam("id") String id, ActionRequest body,
                                           @Context UriInfo uri) {
        boolean dryRun = dryRun(uri);
        ActionRequest b = body(body);
        return actions.approve(uuid(id), actor(), b.fenced(), b.reason(), dryRun);
    }

    @POST
    @Path("/runs/{id}/cancel")
    @RolesAllowed("operator")
    @Consumes(MediaType.APPLICATION_JSON)
    @Parameter(name = "dryRun", in = ParameterIn.QUERY, description = DRY_RUN,
            schema = @Schema(type = SchemaType.STRING, enumeration = {"true", "false"}))
    @Operation(summary = "Cancel a run (calls already made are not undone)")
    public OperatorActions.Outcome cancelRun(@PathParam("id") String id, ActionRequest body,
                                             @Context UriInfo uri) {
        boolean dryRun = dryRun(uri);
        return actions.cancelRun(uuid(id), actor(), body(body).reason(), dryRun);
    }

    @POST
    @Path("/episodes/{id}/confirm-fenced")
    @RolesAllowed("operator")
    @Consumes(MediaType.APPLICATION_JSON)
    @Parameter(name = "dryRun", in = ParameterIn.QUERY, description = DRY_RUN,
            schema = @Schema(type = SchemaType.STRING, enumeration = {"true", "false"}))
    @Operation(summary = "Confirm the host was powered off by hand; recovery follows")
    public OperatorActions.Outcome confirmFenced(@PathParam("id") String id, ActionRequest body,
                                                 @Context UriInfo uri) {
        boolean dryRun = dryRun(uri);
        return actions.confirmFenced(uuid(id), actor(), body(body).reason(), dryRun);
    }

    @POST
    @Path("/episodes/{id}/cancel")
    @RolesAllowed("operator")
    @Consumes(MediaType.APPLICATION_JSON)
    @Parameter(name = "dryRun", in = ParameterIn.QUERY, description = DRY_RUN,
            schema = @Schema(type = SchemaType.STRING, enumeration = {"true", "false"}))
    @Operation(summary = "Close an episode without recovery")
    public OperatorActions.Outcome cancelEpisode(@PathParam("id") String id, ActionRequest body,
                                                 @Context UriInfo uri) {
        boolean dryRun = dryRun(uri);
        return actions.cancelEpisode(uuid(id), actor(), body(body).reason(), dryRun);
    }

    @POST
    @Path("/episodes/{id}/unfence")
    @RolesAllowed("operator")
    @Consumes(MediaType.APPLICATION_JSON)
    @Parameter(name = "dryRun", in = ParameterIn.QUERY, description = DRY_RUN,
            schema = @Schema(type = SchemaType.STRING, enumeration = {"true", "false"}))
    @Operation(summary = "Unfence a recovered OpenStack host that is back: unset forced_down and enable its service")
    public OperatorActions.Outcome unfence(@PathParam("id") String id, ActionRequest body, @Context UriInfo uri) {
        boolean dryRun = dryRun(uri);
        return actions.unfence(uuid(id), actor(), body(body).reason(), dryRun);
    }

    @POST
    @Path("/hosts/{source}/{host}/evacuate")
    @RolesAllowed("operator")
    @Consumes(MediaType.APPLICATION_JSON)
    @Parameter(name = "dryRun", in = ParameterIn.QUERY, description = DRY_RUN,
            schema = @Schema(type = SchemaType.STRING, enumeration = {"true", "false"}))
    @Operation(summary = "Evacuate (OpenStack) or restart elsewhere (oVirt) everything of a host now")
    public OperatorActions.Outcome evacuateHost(@PathParam("source") String source, @PathParam("host") String host,
                                                ActionRequest body, @Context UriInfo uri) {
        boolean dryRun = dryRun(uri);
        ActionRequest b = body(body);
        return evacuations.evacuateHost(source, host, actor(), b.fenced(), b.targetHost(), b.reason(), dryRun);
    }

    @POST
    @Path("/vms/{source}/{vmId}/evacuate")
    @RolesAllowed("operator")
    @Consumes(MediaType.APPLICATION_JSON)
    @Parameter(name = "dryRun", in = ParameterIn.QUERY, description = DRY_RUN,
            schema = @Schema(type = SchemaType.STRING, enumeration = {"true", "false"}))
    @Operation(summary = "Evacuate one VM, optionally to a target host")
    public OperatorActions.Outcome evacuateVm(@PathParam("source") String source, @PathParam("vmId") String vmId,
                                              ActionRequest body, @Context UriInfo uri) {
        boolean dryRun = dryRun(uri);
        ActionRequest b = body(body);
        return evacuations.evacuateVm(source, vmId, actor(), b.fenced(), b.targetHost(), b.reason(), dryRun);
    }

    // ------------------------------------------------------------------ helpers

    /** An action's only query parameter: {@code dryRun}, exactly true or false (absent: false). */
    private static boolean dryRun(UriInfo uri) {
        StrictParams.only(uri, "dryRun");
        return StrictParams.bool(uri, "dryRun", false);
    }

    private String actor() {
        return identity.getPrincipal().getName();
    }

    private static ActionRequest body(ActionRequest b) {
        return b == null ? new ActionRequest(null, null, null) : b;
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("invalid-id", "'" + id + "' is not a UUID");
        }
    }

    private static int limit(int limit) {
        if (limit < 1 || limit > 1000) {
            throw ProblemException.badRequest("invalid-limit", "limit must be between 1 and 1000");
        }
        return limit;
    }
}
