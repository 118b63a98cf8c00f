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

/**
 * The real cloud-simulator, run as its own process (as in the local stack) for tests of services that talk to clouds.
 * Started once per test JVM from {@code cloud-simulator/target/quarkus-app} (the reactor builds it first; the path
 * comes from the {@code lifeboat.simulator.jar} system property). Nova's timings are shortened so that failures play
 * out in seconds: a compute service is down 3 s after its last heartbeat, an evacuation takes 500 ms.
 */
public final class SimulatorProcess {

    private static final Logger LOG = Logger.getLogger("io.lifeboat.testsupport");
    private static volatile SimulatorProcess instance;

    private final Process process;
    private final String url;

    private SimulatorProcess(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    public static SimulatorProcess get() {
        SimulatorProcess s = instance;
        if (s == null) {
            synchronized (SimulatorProcess.class) {
                s = instance;
                if (s == null) {
                    s = start();
                    instance = s;
                }
            }
        }
        return s;
    }

    /** Base URL, e.g. {@code http://localhost:41234}. */
    public String url() {
        return url;
    }

    private static SimulatorProcess start() {
        String jarProp = System.getProperty("lifeboat.simulator.jar");
        if (jarProp == null) {
            throw new IllegalStateException("system property lifeboat.simulator.jar is not set (see the module's pom)");
        }
        Path jar = Path.of(jarProp).normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build the cloud-simulator first (mvn verify from the"
                    + " project root builds it before the services)");
        }
        long t0 = System.nanoTime();
        int port = freePort();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx512m", "-XX:+UseSerialGC",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.log.level=WARN",
                "-Dsimulator.openstack.service-down-time=3s",
                "-Dsimulator.openstack.evacuation-duration=500ms",
                "-jar", jar.toString()));
        try {
            Path log = Files.createTempFile("lifeboat-simulator-", ".log");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            SimulatorProcess sim = new SimulatorProcess(p, "http://localhost:" + port);
            sim.awaitReady(Duration.ofSeconds(60), log);
            Runtime.getRuntime().addShutdownHook(new Thread(p::destroy, "lifeboat-simulator-stop"));
            LOG.infof("cloud-simulator up in %d ms at %s (pid %d, log %s)", (System.nanoTime() - t0) / 1_000_000,
                    sim.url, p.pid(), log);
            return sim;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("cannot start the cloud-simulator", e);
        }
    }

    private void awaitReady(Duration timeout, Path log) throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the cloud-simulator exited (" + process.exitValue() + "); see " + log);
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
        throw new IllegalStateException("the cloud-simulator was not ready in " + timeout.toSeconds() + " s; see "
                + log);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
