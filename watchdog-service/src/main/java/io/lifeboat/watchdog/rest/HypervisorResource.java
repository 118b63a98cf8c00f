package io.lifeboat.watchdog.rest;

import io.lifeboat.watchdog.ingest.LibvirtConnections;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
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

    public record Connections(String unavailable, List<LibvirtConnections.Status> connections) {
    }

    @GET
    @Operation(summary = "The libvirt connections and their state")
    public Connections list() {
        return new Connections(connections.unavailable(), connections.status());
    }
}
