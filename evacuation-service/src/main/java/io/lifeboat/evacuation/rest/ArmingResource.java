package io.lifeboat.evacuation.rest;

import io.lifeboat.evacuation.arming.Arming;
import io.lifeboat.service.rest.ProblemException;
import io.lifeboat.service.rest.StrictParams;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

import java.util.List;

/** The configured sources and their armed / disarmed switch (see {@link Arming}). */
@Path("/api/v1/sources")
@Produces(MediaType.APPLICATION_JSON)
public class ArmingResource {

    private static final String DRY_RUN = "true: answer what would change, change nothing (audited as a dry run)";

    @Inject
    Arming arming;

    @Inject
    SecurityIdentity identity;

    @GET
    @RolesAllowed({"viewer", "operator"})
    @Operation(summary = "The configured sources: kind, recovery enabled, armed or disarmed (by whom, when, why)")
    public List<Arming.State> sources() {
        return arming.all();
    }

    @POST
    @Path("/{source}/disarm")
    @RolesAllowed("operator")
    @Consumes(MediaType.APPLICATION_JSON)
    @Parameter(name = "dryRun", in = ParameterIn.QUERY, description = DRY_RUN,
            schema = @Schema(type = SchemaType.STRING, enumeration = {"true", "false"}))
    @Operation(summary = "Disarm a source for maintenance: its failures are tracked, none is fenced or recovered")
    public Arming.State disarm(@PathParam("source") String source, RecoveryResource.ActionRequest body,
                               @Context UriInfo uri) {
        return set(source, false, body, uri);
    }

    @POST
    @Path("/{source}/arm")
    @RolesAllowed("operator")
    @Consumes(MediaType.APPLICATION_JSON)
    @Parameter(name = "dryRun", in = ParameterIn.QUERY, description = DRY_RUN,
            schema = @Schema(type = SchemaType.STRING, enumeration = {"true", "false"}))
    @Operation(summary = "Arm a source again: its failures are fenced and recovered")
    public Arming.State arm(@PathParam("source") String source, RecoveryResource.ActionRequest body,
                            @Context UriInfo uri) {
        return set(source, true, body, uri);
    }

    private Arming.State set(String source, boolean armed, RecoveryResource.ActionRequest body, UriInfo uri) {
        StrictParams.only(uri, "dryRun");
        boolean dryRun = StrictParams.bool(uri, "dryRun", false);
        if (body != null && (body.confirmFenced() != null || body.targetHost() != null)) {
            throw ProblemException.badRequest("malformed-body", "arming a source takes only 'reason' in its body");
        }
        if (arming.state(source) == null) {
            throw ProblemException.notFound("source-not-found", "no source '" + source + "' is configured");
        }
        return arming.set(source, armed, identity.getPrincipal().getName(), body == null ? null : body.reason(),
                dryRun);
    }
}
