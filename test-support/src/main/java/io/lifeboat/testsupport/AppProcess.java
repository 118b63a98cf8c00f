package io.lifeboat.testsupport;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A built Lifeboat application ({@code <module>/target/quarkus-app}) run as its own process for a test, as the local
 * stack runs it: on a free port, with system properties, until the test JVM exits.
 */
public final class AppProcess {

    private static final Logger LOG = Logger.getLogger("io.lifeboat.testsupport");

    private final Process process;
    private final String url;
    private final Path log;

    private AppProcess(Process process, String url, Path log) {
        this.process = process;
        this.url = url;
        this.log = log;
    }

    /** Kills the process at once (SIGKILL), as a crash or an OOM kill would: no shutdown hooks run. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops the process as Kubernetes or systemd would (SIGTERM) and waits for it to exit; returns its exit code.
     * Kills it if it has not exited after {@code grace}.
     */
    public int terminate(Duration grace) {
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                LOG.warnf("pid %d did not stop within %s after SIGTERM; killing it", process.pid(), grace);
                kill();
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** The log file the process writes to. */
    public Path log() {
        return log;
    }

    /** Base URL, e.g. {@code http://localhost:41234}. */
    public String url() {
        return url;
    }

    /**
     * @param jarProperty the system property holding the path of the app's {@code quarkus-run.jar}
     */
    public static AppProcess start(String name, String jarProperty, Map<String, String> properties, String heap) {
        String jarPath = System.getProperty(jarProperty);
        if (jarPath == null) {
            throw new IllegalStateException("system property " + jarProperty + " is not set (see the module's pom)");
        }
        Path jar = Path.of(jarPath).normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build " + name + " first (mvn verify from the project"
                    + " root builds it before the modules that need it)");
        }
        long t0 = System.nanoTime();
        int port = freePort();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx" + heap, "-XX:+UseSerialGC",
                "-Dquarkus.http.port=" + port, "-Dquarkus.log.level=WARN"));
        if (!name.equals("cloud-simulator") && !properties.containsKey("quarkus.profile")) {
            // The local stack's profile: its built-in users with their easy passwords, which production refuses.
            cmd.add("-Dquarkus.profile=local");
        }
        properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.addAll(List.of("-jar", jar.toString()));
        try {
            Path log = Files.createTempFile("lifeboat-" + name + "-", ".log");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            AppProcess app = new AppProcess(p, "http://localhost:" + port, log);
            app.awaitReady(Duration.ofSeconds(90), log, name);
            Runtime.getRuntime().addShutdownHook(new Thread(p::destroy, "lifeboat-" + name + "-stop"));
            LOG.infof("%s up in %d ms at %s (pid %d, log %s)", name, (System.nanoTime() - t0) / 1_000_000, app.url,
                    p.pid(), log);
            return app;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("cannot start " + name, e);
        }
    }

    private void awaitReady(Duration timeout, Path log, String name) throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited (" + process.exitValue() + "); see " + log);
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(url + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + " was not ready in " + timeout.toSeconds() + " s; see " + log);
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
