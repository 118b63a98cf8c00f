package io.lifeboat.evacuation.rest;

import io.lifeboat.common.failure.HostFailurePhase;
import io.lifeboat.common.recovery.RecoveryRunState;
import io.lifeboat.evacuation.audit.AuditEntry;
import io.lifeboat.evacuation.detection.HostEvidence;
import io.lifeboat.evacuation.episode.HostFailure;
import io.lifeboat.evacuation.recovery.InstanceMove;
import io.lifeboat.evacuation.operator.OperatorActions;
import io.lifeboat.evacuation.operator.OperatorEvacuations;
import io.lifeboat.evacuation.recovery.RecoveryRun;
import io.lifeboat.evacuation.recovery.StepAttempt;
import io.lifeboat.service.rest.ProblemException;
import io.lifeboat.service.rest.StrictParams;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
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

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    /** How long before an episode's first evidence its host's evidence is shown (what it was like before). */
    private static final long EVIDENCE_BEFORE_SECONDS = 60;

    @Inject
    HostEvidence evidence;

    @Inject
    OperatorActions actions;

    @Inject
    OperatorEvacuations evacuations;

    @Inject
    SecurityIdentity identity;

    @Inject
    io.lifeboat.evacuation.arming.Arming arming;

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
    @Transactional
    @Operation(summary = "Host-failure episodes, newest first; filter by open, source, host (key or name), phase")
    public List<Views.Episode> episodes(@QueryParam("open") String openText, @QueryParam("source") String source,
                                        @QueryParam("host") String host, @QueryParam("phase") String phase,
                                        @QueryParam("limit") @DefaultValue("100") int limit) {
        Boolean open = openText == null ? null : StrictParams.bool("open", openText, false);
        StringBuilder q = new StringBuilder("1 = 1");
        Map<String, Object> p = new java.util.HashMap<>();
        if (open != null) {
            q.append(open ? " and closedAt is null" : " and closedAt is not null");
        }
        if (source != null) {
            q.append(" and sourceId = :source");
            p.put("source", source);
        }
        if (host != null) {
            q.append(" and (hostKey = :host or hostName = :host)");
            p.put("host", host);
        }
        if (phase != null) {
            try {
                p.put("phase", HostFailurePhase.valueOf(phase.toUpperCase(java.util.Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest("invalid-phase", "phase must be one of "
                        + java.util.Arrays.toString(HostFailurePhase.values()));
            }
            q.append(" and phase = :phase");
        }
        List<HostFailure> list = HostFailure.find(q.toString(), Sort.descending("firstSignalAt"), p)
                .page(Page.ofSize(limit(limit))).list();
        List<Views.Episode> out = new ArrayList<>();
        for (HostFailure f : list) {
            out.add(episodeView(f));
        }
        return out;
    }

    @GET
    @Path("/episodes/{id}")
    @RolesAllowed({"viewer", "operator"})
    @Transactional
    @Operation(summary = "One episode with its runs")
    public Views.Episode episode(@PathParam("id") String id) {
        HostFailure f = HostFailure.findById(uuid(id));
        if (f == null) {
            throw ProblemException.notFound("episode-not-found", "no host-failure episode " + id);
        }
        return episodeView(f);
    }

    /** An episode with its runs, its timings and the evidence about its host from its first evidence to its end. */
    private Views.Episode episodeView(HostFailure f) {
        List<RecoveryRun> runs = RecoveryRun.list("episodeId", Sort.ascending("createdAt"), f.id);
        List<java.util.UUID> ids = runs.stream().map(r -> r.id).toList();
        List<StepAttempt> steps = ids.isEmpty() ? List.of() : StepAttempt.ofRuns(ids);
        List<InstanceMove> moves = ids.isEmpty() ? List.of() : InstanceMove.list("runId in ?1", ids);
        return Views.Episode.of(f, runs, arming.armed(f.sourceId), Views.Timings.of(f, runs, steps, moves),
                evidence.history(f.hostKey, f.firstEvidence().minusSeconds(EVIDENCE_BEFORE_SECONDS), f.closedAt));
    }

    @GET
    @Path("/runs")
    @RolesAllowed({"viewer", "operator"})
    @Transactional
    @Operation(summary = "Recovery runs with their moves, newest first; filter by state, source, host key")
    public List<Views.Run> runs(@QueryParam("state") String state, @QueryParam("source") String source,
                                @QueryParam("host") String host, @QueryParam("limit") @DefaultValue("50") int limit) {
        StringBuilder q = new StringBuilder("1 = 1");
        Parameters p = new Parameters();
        if (state != null) {
            try {
                p.and("state", RecoveryRunState.valueOf(state.toUpperCase(java.util.Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest("invalid-state", "state must be one of "
                        + java.util.Arrays.toString(RecoveryRunState.values()));
            }
            q.append(" and state = :state");
        }
        if (source != null) {
            q.append(" and sourceId = :source");
            p.and("source", source);
        }
        if (host != null) {
            q.append(" and hostKey = :host");
            p.and("host", host);
        }
        List<RecoveryRun> list = RecoveryRun.find(q.toString(), Sort.descending("createdAt"), p)
                .page(Page.ofSize(limit(limit))).list();
        Map<UUID, List<StepAttempt>> steps = StepAttempt.ofRuns(list.stream().map(r -> r.id).toList()).stream()
                .collect(java.util.stream.Collectors.groupingBy(a -> a.runId));
        return list.stream().map(r -> Views.Run.of(r, InstanceMove.ofRun(r.id), steps.getOrDefault(r.id, List.of())))
                .toList();
    }

    @GET
    @Path("/runs/{id}")
    @RolesAllowed({"viewer", "operator"})
    @Transactional
    @Operation(summary = "One run: its step, timings and every instance's move")
    public Views.Run run(@PathParam("id") String id) {
        RecoveryRun r = RecoveryRun.findById(uuid(id));
        if (r == null) {
            throw ProblemException.notFound("run-not-found", "no recovery run " + id);
        }
        return Views.Run.of(r, InstanceMove.ofRun(r.id), StepAttempt.ofRun(r.id));
    }

    @GET
    @Path("/audit")
    @RolesAllowed({"viewer", "operator"})
    @Transactional
    @Operation(summary = "The audit trail, newest first; filter by target (host key, VM key, run) and actor")
    public List<Views.Audit> audit(@QueryParam("target") String target, @QueryParam("actor") String actor,
                                   @QueryParam("limit") @DefaultValue("200") int limit) {
        StringBuilder q = new StringBuilder("1 = 1");
        Parameters p = new Parameters();
        if (target != null) {
            q.append(" and target = :target");
            p.and("target", target);
        }
        if (actor != null) {
            q.append(" and actor = :actor");
            p.and("actor", actor);
        }
        List<AuditEntry> list = AuditEntry.find(q.toString(), Sort.descending("id"), p)
                .page(Page.ofSize(limit(limit))).list();
        return list.stream().map(Views.Audit::of).toList();
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
