package io.lifeboat.evacuation.rest;

import io.lifeboat.evacuation.forecast.FailoverForecasts;
import io.lifeboat.evacuation.forecast.FailoverPlanner;
import io.lifeboat.evacuation.forecast.RunPredictions;
import io.lifeboat.service.rest.Problem;
import io.lifeboat.service.rest.ProblemException;
import io.lifeboat.service.rest.StrictParams;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The failover plan: for every host of each source, where each instance a recovery would evacuate would go
 * if the host failed now, and which would not fit anywhere; and a run's prediction compared with its outcome.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Failover plan")
public class FailoverPlanResource {

    @Inject
    FailoverForecasts forecasts;

    @Inject
    RunPredictions predictions;

    /** A source's plans: when computed (or the last error, the plans before it kept), with what ratios. */
    public record SourceView(String source, Instant computedAt, FailoverPlanner.Ratios ratios,
                             List<String> reservedHosts, int hosts, int hostsWithUnplaceable, int unplaceable,
                             String error, Instant errorAt, List<HostView> plans) {
    }

    /** One host's plan: its instances, those a recovery would evacuate and where each would go. */
    public record HostView(String host, String hostKey, String state, String status, int instances, int evacuable,
                           int unplaceable, List<FailoverPlanner.Placement> notPlaced,
                           List<FailoverPlanner.Placement> placements, List<Skipped> skipped) {
    }

    /** An instance a recovery would leave alone, and why. */
    public record Skipped(String vmId, String name, String reason) {
    }

    @GET
    @Path("/failover-plan")
    @RolesAllowed({"viewer", "operator"})
    @Operation(summary = "If each host failed now: where each of its instances would go, and which would not fit"
            + " (filter by source and host: its name or id)")
    public List<SourceView> plan(@QueryParam("source") String source, @QueryParam("host") String host,
                                 @Context UriInfo uri) {
        StrictParams.only(uri, "source", "host");
        if (host != null && source == null) {
            throw ProblemException.badRequest("invalid-parameter", "'host' needs 'source' (a host name is unique"
                    + " within its source only)");
        }
        List<String> sources = forecasts.sources();
        if (source != null && !sources.contains(source)) {
            throw ProblemException.notFound("source-not-found", "no failover plan for source '" + source
                    + "': the plans are made for the sources configured for recovery " + sources);
        }
        List<SourceView> out = new ArrayList<>();
        for (String s : source == null ? sources : List.of(source)) {
            FailoverForecasts.SourcePlan p = forecasts.current(s);
            if (p.computedAt() == null && source != null) {
                // The source asked for was never computed: its cloud could not be read (the next try comes with its
                // interval). In the list of every source it is shown with its error instead.
                throw new ProblemException(Problem.of("cloud-unavailable", "Cloud unavailable", 503, "cannot read "
                        + s + " for its failover plan (tried at " + p.errorAt() + "): " + p.error()));
            }
            List<HostView> hosts = p.hosts().stream().filter(h -> host == null || h.host().equals(host)
                            || h.hostKey().equals(s + "/" + host))
                    .map(FailoverPlanResource::view).toList();
            if (host != null && hosts.isEmpty()) {
                throw ProblemException.notFound("host-not-found", "source " + s + " has no host '" + host
                        + "'" + (p.error() == null ? "" : " (its last plan failed: " + p.error() + ")"));
            }
            out.add(new SourceView(s, p.computedAt(), p.ratios(), p.reservedHosts(), hosts.size(),
                    (int) hosts.stream().filter(h -> h.unplaceable() > 0).count(),
                    hosts.stream().mapToInt(HostView::unplaceable).sum(), p.error(), p.errorAt(), hosts));
        }
        return out;
    }

    private static HostView view(FailoverForecasts.HostPlan h) {
        List<FailoverPlanner.Placement> notPlaced = h.unplaceable();
        return new HostView(h.host(), h.hostKey(), h.state(), h.status(), h.instances(), h.placements().size(),
                notPlaced.size(), notPlaced, h.placements(), h.skipped().stream()
                .map(m -> new Skipped(m.vmId(), m.vmName(), m.reason())).toList());
    }

    @GET
    @Path("/runs/{id}/prediction")
    @RolesAllowed({"viewer", "operator"})
    @Operation(summary = "A run's failover prediction (made before its first move) and, once it ended, how it compared"
            + " with what happened")
    public RunPredictions.View prediction(@PathParam("id") String id, @Context UriInfo uri) {
        StrictParams.only(uri);
        UUID runId;
        try {
            runId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("invalid-id", "'" + id + "' is not a run id (a UUID)");
        }
        return predictions.of(runId).orElseThrow(() -> ProblemException.notFound("not-found",
                "no failover prediction for run " + id + " (made for host runs only)"));
    }
}
