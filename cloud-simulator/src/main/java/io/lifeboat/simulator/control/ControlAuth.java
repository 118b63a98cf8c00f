package io.lifeboat.simulator.control;

import io.lifeboat.simulator.world.SimulatorConfig;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The control API changes the simulated world (it powers hosts off): when {@code simulator.control.token} is set,
 * every request that changes something under {@code /sim/v1} needs {@code Authorization: Bearer <token>}. Reads stay
 * open. The local stack sets a token of its own (README, "The cloud-simulator"); the tests' simulators run without one.
 */
public class ControlAuth {

    // Looked up per request: a pre-matching filter is built before the runtime configuration exists.
    @Inject
    Instance<SimulatorConfig> config;

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> check(ContainerRequestContext request) {
        Optional<String> token = config.get().control().token();
        if (token.isEmpty() || token.get().isBlank() || !request.getUriInfo().getPath().startsWith("/sim/v1")
                || request.getMethod().equals("GET") || request.getMethod().equals("HEAD")) {
            return Optional.empty();
        }
        String header = request.getHeaderString("Authorization");
        String expected = "Bearer " + token.get().strip();
        if (header != null && MessageDigest.isEqual(header.strip().getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8))) {
            return Optional.empty();
        }
        String body = "{\"type\":\"urn:lifeboat:problem:unauthorized\",\"title\":\"Unauthorized\",\"status\":401,"
                + "\"detail\":\"the simulator's control API needs 'Authorization: Bearer <simulator.control.token>'"
                + " to change anything\"}";
        return Optional.of(Response.status(401).type("application/problem+json")
                .header("WWW-Authenticate", "Bearer realm=\"simulator-control\"").entity(body).build());
    }
}
