package io.lifeboat.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** One Quarkus application of the suite, run from its built {@code quarkus-app} in its own JVM. */
final class AppNode implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final StackLayout.App app;
    private final Process process;
    private final Path log;

    private AppNode(StackLayout.App app, Process process, Path log) {
        this.app = app;
        this.process = process;
        this.log = log;
    }

    static AppNode start(StackLayout layout, StackLayout.App app, String java) throws IOException {
        Path jar = app.jar(layout.project());
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build first with"
                    + " 'mvn -B -DskipTests package' (./lifeboat up --build does it)");
        }
        // Serial GC: five JVMs share two cores here, and none of them needs a parallel collector.
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx" + app.heap(), "-XX:+UseSerialGC",
                "-Dquarkus.http.port=" + app.port(), "-Dquarkus.http.host=" + bindAddress()));
        if (app.usesInfrastructure()) {
            // The local stack's profile: built-in users with easy passwords (see LocalStack's start message).
            cmd.add("-Dquarkus.profile=local");
        }
        if (app.configFile() != null) {
            // Comma-separated: the shared sources file, then the service's own (whose keys win).
            cmd.add("-Dquarkus.config.locations=" + String.join(",", Arrays.stream(app.configFile()
                    .split(",")).map(f -> layout.config().resolve(f.strip()).toUri().toString()).toList()));
        }
        cmd.addAll(List.of("-jar", jar.toString()));
        Path log = layout.logs().resolve(app.name() + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(layout.project().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        if (app.name().equals("cloud-simulator")) {
            pb.environment().put("SIMULATOR_CONTROL_TOKEN", layout.simulatorToken());
        }
        // The URLs the generated config files refer to, so that they follow the ports of this start.
        pb.environment().put("LIFEBOAT_SIMULATOR_URL", layout.simulatorUrl());
        pb.environment().put("LIFEBOAT_MANAGEMENT_PORT", String.valueOf(layout.managementPort()));
        pb.environment().put("LIFEBOAT_WATCHDOG_URL", "http://localhost:" + layout.apps().stream()
                .filter(a -> a.name().equals("watchdog-service")).findFirst().orElseThrow().port());
        if (app.usesInfrastructure()) {
            pb.environment().put("LIFEBOAT_KAFKA", layout.kafkaBootstrap());
            pb.environment().put("LIFEBOAT_DB_URL", layout.jdbcUrl());
            pb.environment().put("LIFEBOAT_DB_USER", PostgresNode.ROLE);
            pb.environment().put("LIFEBOAT_DB_PASSWORD", PostgresNode.ROLE);
        }
        return new AppNode(app, pb.start(), log);
    }

    /**
     * Where the applications listen: loopback, so that the built-in users and the simulator's control API are not
     * reachable from the network; {@code LIFEBOAT_BIND=0.0.0.0} opens them on purpose.
     */
    static String bindAddress() {
        String bind = System.getenv("LIFEBOAT_BIND");
        return bind == null || bind.isBlank() ? "127.0.0.1" : bind.strip();
    }

    StackLayout.App app() {
        return app;
    }

    String baseUrl() {
        return "http://localhost:" + app.port();
    }

    /** Waits for {@code /q/health/ready} to answer 200; returns the body of the last answer. */
    String awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(app.name() + " exited with code " + process.exitValue() + "; see "
                        + log);
            }
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return r.body();
                }
                last = "HTTP " + r.statusCode() + ": " + r.body();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(app.name() + " was not ready within " + timeout.toSeconds() + " s (" + last
                + "); see " + log);
    }

    /** Reports on the console if the application dies while the stack runs. */
    void processWatch() {
        process.onExit().thenAccept(p -> System.err.println("lifeboat: " + app.name() + " exited with code "
                + p.exitValue() + "; see " + log));
    }

    boolean alive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    @Override
    public void close() throws InterruptedException {
        ProcessControl.stop(process, Duration.ofSeconds(20));
    }
}
