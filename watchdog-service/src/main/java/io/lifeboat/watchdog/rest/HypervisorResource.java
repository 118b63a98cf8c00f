package io.lifeboat.watchdog.rest;

import io.lifeboat.service.rest.ProblemException;
import io.lifeboat.watchdog.hypervisor.DomainInventory;
import io.lifeboat.watchdog.ingest.LibvirtConnections;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** The libvirt connections: which hypervisors are connected, since when, and why not. */
@Path("/api/v1/hypervisors")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Hypervisors")
@RolesAllowed({"viewer", "operator"})
public class HypervisorResource {

    @Inject
    LibvirtConnections connections;

    @Inject
    DomainInventory domains;

    @Inject
    io.lifeboat.watchdog.ingest.AgentScope scope;

    public record Listed(String hypervisor, int domains) {
    }

    public record Connections(String unavailable, List<LibvirtConnections.Status> connections) {
    }

    @GET
    @Operation(summary = "The libvirt connections and their state")
    public Connections list() {
        return new Connections(connections.unavailable(), connections.status());
    }

    @PUT
    @Path("/{hypervisor}/domains")
    @Consumes(MediaType.TEXT_PLAIN)
    @RolesAllowed({"agent", "operator"})
    @Operation(summary = "An agent's listing of the hypervisor's domains, one per line: '<uuid> <name> [state]'"
            + " (replaces the previous listing)")
    public Listed putDomains(@PathParam("hypervisor") String hypervisor, String body) {
        scope.check(java.util.List.of(hypervisor));
        try {
            return new Listed(hypervisor, domains.replace(hypervisor, DomainInventory.parseListing(body), "AGENT"));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("invalid-listing", e.getMessage());
        }
    }

    @GET
    @Path("/leftovers")
    @Operation(summary = "Domains left on hypervisors after their VM was deleted, or soft-deleted past the reclaim"
            + " time: host, domain, age, Nova state")
    public List<DomainInventory.Leftover> leftovers(@QueryParam("hypervisor") String hypervisor) {
        return domains.leftovers(hypervisor);
    }
}
