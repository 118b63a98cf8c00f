package io.lifeboat.mapping.rest;

import io.lifeboat.common.id.SourceId;
import io.lifeboat.mapping.export.InventoryExport;
import io.lifeboat.service.rest.ProblemException;
import io.lifeboat.service.rest.TimeParam;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;

@Path("/api/v1/export")
@Tag(name = "Inventory export")
@RolesAllowed({"viewer", "operator"})
public class ExportResource {

    @Inject
    InventoryExport export;

    @GET
    @Produces({"text/csv", MediaType.APPLICATION_JSON})
    @Operation(summary = "One row per VM disk: source, cluster, host, VM, status, IPs, vCPU, RAM, disk, storage type,"
            + " LUN WWID, as of a time (default now); format=csv|json, streamed")
    public Response export(@QueryParam("source") String source, @QueryParam("cluster") String cluster,
                           @QueryParam("host") String host, @QueryParam("asOf") String asOf,
                           @QueryParam("format") String format) {
        InventoryExport.Filter f = new InventoryExport.Filter(
                source == null || source.isBlank() ? null : SourceId.of(source).value(), blank(cluster), blank(host),
                TimeParam.parse("asOf", asOf, Instant.now()));
        String fmt = format == null ? "csv" : format.toLowerCase();
        if (!fmt.equals("csv") && !fmt.equals("json")) {
            throw ProblemException.badRequest("invalid-parameter", "format must be csv or json, got '" + format + "'");
        }
        StreamingOutput body = out -> {
            if (fmt.equals("csv")) {
                export.csv(f, out);
            } else {
                export.json(f, out);
            }
        };
        return Response.ok(body, fmt.equals("csv") ? "text/csv" : MediaType.APPLICATION_JSON)
                .header("Content-Disposition", "attachment; filename=\"lifeboat-inventory." + fmt + "\"").build();
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
