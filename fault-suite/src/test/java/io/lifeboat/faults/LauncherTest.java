package io.lifeboat.faults;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The launcher as an operator uses it after a crash: the local stack runs (started as {@code ./lifeboat up -d}
 * starts it, on free ports and a new data folder), Kafka is killed by hand, {@code ./lifeboat status} names it as
 * dead and exits 1, {@code ./lifeboat restart kafka} brings it back, and the services recover with no further step:
 * every one ready with no consumer lag, a collector cycle publishes completely, and nothing is dead-lettered.
 */
class LauncherTest {

    private static final Path ROOT = Path.of(System.getProperty("lifeboat.root", "..")).toAbsolutePath().normalize();
    private static final Map<String, String> ENV = new HashMap<>();
    private static Path home;
    private static Process stack;

    @BeforeAll
    static void up() throws Exception {
        home = Files.createTempDirectory("lifeboat-launcher-");
        ENV.put("LIFEBOAT_HOME", home.toString());
        for (String port : List.of("KAFKA", "KAFKA_CONTROLLER", "POSTGRES", "SIMULATOR", "COLLECTOR", "MAPPING",
                "EVACUATION", "WATCHDOG")) {
            ENV.put("LIFEBOAT_" + port + "_PORT", Integer.toString(freePort()));
        }
        // What './lifeboat up -d' runs once the build is there (here the reactor built it).
        Files.createDirectories(home.resolve("logs"));
        ProcessBuilder pb = new ProcessBuilder(java(), "-Xmx256m", "-jar",
                ROOT.resolve("local-stack/target/lifeboat-local-stack.jar").toString(), ROOT.toString())
                .redirectErrorStream(true).redirectOutput(home.resolve("logs/stack.log").toFile());
        pb.environment().putAll(ENV);
        pb.environment().put("LIFEBOAT_DETACHED", "1");
        stack = pb.start();
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            assertThat(stack.isAlive()).as("the stack is running; its log:%n%s", log()).isTrue();
            return Files.exists(home.resolve("run/ready"));
        });
    }

    @AfterAll
    static void down() throws Exception {
        if (stack != null) {
            Result r = launcher("down");
            System.out.println(r.output);
            if (!stack.waitFor(120, TimeUnit.SECONDS)) {
                stack.destroyForcibly();
            }
        }
        if (home != null) {
            try (var files = Files.walk(home)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    void statusNamesAKilledBrokerAsDeadAndRestartBringsItBackWithTheServicesRecovered() throws Exception {
        Result before = launcher("status");
        assertThat(before.exit).as("status of a healthy stack:%n%s", before.output).isZero();
        assertThat(rows(before.output)).containsOnlyKeys("kafka", "postgres", "cloud-simulator",
                "collector-service", "mapping-service", "evacuation-service", "watchdog-service");
        long deadLettersBefore = deadLetters();

        long kafkaPid = Long.parseLong(rows(before.output).get("kafka").get(0));
        assertThat(ProcessHandle.of(kafkaPid).orElseThrow().destroyForcibly()).isTrue();   // kill -9, by hand
        await().atMost(Duration.ofSeconds(30)).until(() -> !ProcessHandle.of(kafkaPid).map(ProcessHandle::isAlive)
                .orElse(false));

        Result dead = launcher("status");
        System.out.println(dead.output);
        assertThat(dead.exit).as("status with a dead broker").isEqualTo(1);
        assertThat(rows(dead.output).get("kafka")).as("kafka's row").contains("DEAD");
        assertThat(dead.output).contains("./lifeboat restart kafka");
        await().atMost(Duration.ofSeconds(30)).until(() -> log().contains("kafka (pid " + kafkaPid
                + ") is not running any more"));

        Instant restarted = Instant.now();
        Result restart = launcher("restart", "kafka");
        System.out.println(restart.output);
        assertThat(restart.exit).as("restart kafka:%n%s", restart.output).isZero();
        long newPid = Long.parseLong(rows(launcher("status").output).get("kafka").get(0));
        assertThat(newPid).isNotEqualTo(kafkaPid);

        // No further step: every service ready again, with nothing left to consume.
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            Result after = launcher("status");
            assertThat(after.exit).as("status after the restart:%n%s", after.output).isZero();
            rows(after.output).forEach((name, row) -> {
                assertThat(row).as(name).contains("running");
                if (name.endsWith("-service")) {
                    assertThat(String.join(" ", row)).as(name).contains("running UP")
                            .doesNotContainPattern("consumer lag [1-9]");
                }
            });
        });
        // The collector publishes a complete cycle again, and the consumers take it without a dead letter.
        String sources = http("GET", collector() + "/api/v1/sources", "viewer");
        Matcher ids = Pattern.compile("\"id\":\"([^\"]+)\"").matcher(sources);
        List<String> sourceIds = new ArrayList<>();
        while (ids.find()) {
            sourceIds.add(ids.group(1));
        }
        assertThat(sourceIds).as("configured sources").hasSizeGreaterThanOrEqualTo(2);
        for (String id : sourceIds) {
            String cycle = http("POST", collector() + "/api/v1/sources/" + id + "/refresh?wait=true", "operator");
            assertThat(cycle).as("source %s's cycle after the restart", id).contains("\"outcome\":\"COMPLETE\"");
            Instant started = Instant.parse(cycle.replaceAll("(?s).*\"startedAt\":\"([^\"]+)\".*", "$1"));
            assertThat(started).isAfter(restarted);
        }
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(launcher("status").output).doesNotContainPattern("consumer lag [1-9]"));
        assertThat(deadLetters()).as("dead letters after the restart").isEqualTo(deadLettersBefore);
    }

    /**
     * Every metric a dashboard panel or an alert of deploy/monitoring reads is one the running services export: their
     * /q/metrics scraped on this stack (both sources configured, fencing and the failover plan on) and compared.
     */
    @Test
    void everyMetricTheDashboardsAndAlertsReadIsExportedByTheRunningServices() throws Exception {
        Path monitoring = ROOT.resolve("deploy/monitoring");
        Pattern metric = Pattern.compile("\\b(lifeboat_[a-z0-9_]+)");
        java.util.Set<String> read = new java.util.TreeSet<>();
        List<Path> files = new ArrayList<>(List.of(monitoring.resolve("rules.yaml")));
        try (var dashboards = Files.list(monitoring.resolve("dashboards"))) {
            dashboards.filter(f -> f.toString().endsWith(".json")).forEach(files::add);
        }
        assertThat(files).hasSize(5);
        for (Path f : files) {
            Matcher m = metric.matcher(Files.readString(f));
            while (m.find()) {
                read.add(m.group(1));
            }
        }
        assertThat(read).hasSizeGreaterThanOrEqualTo(37);
        java.util.Set<String> missing = new java.util.TreeSet<>();
        // The failover plan's gauge appears with the first computation (every 15 s on this stack): waited for.
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            java.util.Set<String> exported = new java.util.HashSet<>();
            for (String port : List.of("COLLECTOR", "MAPPING", "EVACUATION", "WATCHDOG")) {
                HttpResponse<String> r = FaultStack.HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:"
                        + ENV.get("LIFEBOAT_" + port + "_PORT") + "/q/metrics")).timeout(Duration.ofSeconds(10))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                r.body().lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                        .forEach(l -> exported.add(l.split("[{ ]", 2)[0]));
            }
            missing.clear();
            read.stream().filter(n -> !exported.contains(n)).forEach(missing::add);
            assertThat(missing).as("read by deploy/monitoring but exported by no running service").isEmpty();
        });
    }

    // ------------------------------------------------------------------ helpers

    /** Each component's row of {@code ./lifeboat status}: pid, address, process, health words. */
    private static Map<String, List<String>> rows(String status) {
        Map<String, List<String>> rows = new HashMap<>();
        for (String line : status.split("\n")) {
            String[] w = line.trim().split("\\s+");
            if (w.length >= 4 && (w[0].equals("kafka") || w[0].equals("postgres") || w[0].endsWith("-service")
                    || w[0].equals("cloud-simulator"))) {
                rows.put(w[0], List.of(w).subList(1, w.length));
            }
        }
        return rows;
    }

    private static long deadLetters() throws Exception {
        Result r = launcher("dlq");
        assertThat(r.exit).as("./lifeboat dlq:%n%s", r.output).isZero();
        Matcher m = Pattern.compile("(\\d+) dead letter\\(s\\)\\.").matcher(r.output);
        assertThat(m.find()).as("dlq's total line in:%n%s", r.output).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static String collector() {
        return "http://localhost:" + ENV.get("LIFEBOAT_COLLECTOR_PORT");
    }

    private static String http(String method, String url, String user) throws Exception {
        HttpResponse<String> r = FaultStack.HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofMinutes(2))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + user)
                        .getBytes(StandardCharsets.UTF_8)))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("%s %s: %s", method, url, r.body()).isLessThan(300);
        return r.body();
    }

    private record Result(int exit, String output) {
    }

    /** {@code ./lifeboat <args>} with this stack's data folder and ports, as an operator types it. */
    private static Result launcher(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ROOT.resolve("lifeboat").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true);
        pb.environment().putAll(ENV);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(4, TimeUnit.MINUTES)).as("./lifeboat %s finished", String.join(" ", args)).isTrue();
        return new Result(p.exitValue(), out);
    }

    private static String log() {
        try {
            return Files.readString(home.resolve("logs/stack.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
