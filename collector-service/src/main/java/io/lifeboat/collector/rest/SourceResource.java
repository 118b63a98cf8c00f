package io.lifeboat.collector.rest;

import io.lifeboat.collector.inventory.Collectors;
import io.lifeboat.collector.inventory.SourceStatus;
import io.lifeboat.service.rest.ProblemException;
import io.lifeboat.service.rest.StrictParams;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

@Path("/api/v1/sources")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Sources", description = "The configured oVirt engines and OpenStack regions and their collection")
public class SourceResource {

    @Inject
    Collectors collectors;

    @GET
    @RolesAllowed({"viewer", "operator"})
    @Operation(summary = "Every source with its health, last cycle (time, duration, API calls, counts, errors)")
    public List<SourceStatus> sources() {
        return collectors.statuses();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({"viewer", "operator"})
    @Operation(summary = "One source")
    public SourceStatus source(@PathParam("id") String id) {
        return collectors.status(id).orElseThrow(() -> notFound(id));
    }

    /**
     * Runs a full cycle now (or joins the running one). With {@code wait=true} answers when it finished, with its
     * result; otherwise 202 at once.
     */
    @POST
    @Path("/{id}/refresh")
    @RolesAllowed("operator")
    @Operation(summary = "Collect a source now (operator)")
    public Response refresh(@PathParam("id") String id, @QueryParam("wait") String waitText) throws Exception {
        boolean wait = StrictParams.bool("wait", waitText, false);
        if (!collectors.known(id)) {
            throw notFound(id);
        }
        CompletableFuture<SourceStatus.LastCycle> cycle = collectors.cycle(id).orElseThrow(() ->
                ProblemException.conflict("source-not-collectable", "source " + id + " is "
                        + collectors.status(id).map(SourceStatus::health).orElse("unknown") + " and is not collected"));
        if (!wait) {
            return Response.accepted(Map.of("source", id, "status", "running")).build();
        }
        return Response.ok(cycle.get(10, TimeUnit.MINUTES)).build();
    }

    private static ProblemException notFound(String id) {
        return ProblemException.notFound("source-not-found", "no source '" + id + "' is configured");
    }
}
