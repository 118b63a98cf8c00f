package io.lifeboat.mapping.rest;

import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.id.SourceId;
import io.lifeboat.mapping.lineage.HostHistory;
import io.lifeboat.service.rest.ProblemException;
import io.lifeboat.service.rest.TimeParam;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.List;

@Path("/api/v1/hosts")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Hosts", description = "Host states over time")
public class HostResource {

    @Inject
    HostHistory history;

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
    @Operation(summary = "A host's states over time, newest first")
    public List<HostView> history(@PathParam("source") String source, @PathParam("hostId") String hostId) {
        HostKey key = HostKey.parse(source + "/" + hostId);
        List<HostView> rows = history.history(key).stream().map(HostView::of).toList();
        if (rows.isEmpty()) {
            throw ProblemException.notFound("host-not-found", "no history for host " + key);
        }
        return rows;
    }
}
