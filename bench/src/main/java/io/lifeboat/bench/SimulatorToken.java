package io.lifeboat.bench;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;

/** The local stack's credential for the simulator's control API ({@code <LIFEBOAT_HOME>/simulator-control.token}). */
final class SimulatorToken {

    private SimulatorToken() {
    }

    /** Adds the credential to a request that changes the simulated world, if the stack has one. */
    static HttpRequest.Builder authorize(HttpRequest.Builder b, String url) {
        if (!url.contains("/sim/v1/")) {
            return b;
        }
        String token = System.getenv("LIFEBOAT_SIMULATOR_TOKEN");
        if (token == null || token.isBlank()) {
            Path file = Path.of(System.getenv().getOrDefault("LIFEBOAT_HOME", ".lifeboat"), "simulator-control.token");
            try {
                token = Files.exists(file) ? Files.readString(file).strip() : null;
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        return token == null || token.isBlank() ? b : b.header("Authorization", "Bearer " + token);
    }
}
