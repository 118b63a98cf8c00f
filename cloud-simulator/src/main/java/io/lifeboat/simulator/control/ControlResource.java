package io.lifeboat.simulator.control;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;

/**
 * The simulator's control API, under {@code /sim}: never mixed into the emulated cloud APIs, so nothing a service
 * calls can reach it.
 */
@Path("/sim/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Simulator control")
public class ControlResource {

    private static final Instant STARTED = Instant.now();

    @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev")
    String version;

    @GET
    @Path("/status")
    @Operation(summary = "The simulator's identity and start time")
    public SimulatorStatus status() {
        return new SimulatorStatus("lifeboat-cloud-simulator", version, STARTED);
    }
}
