package io.lifeboat.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * HTTP batch ingestion of {@code virsh event} lines, end to end, measured side by side in one run: N lines (a watchdog
 * pause and its lifecycle "Suspended Watchdog" per guest, N/2 guests) from one hypervisor, then N lines spread over
 * 100 hypervisors (each hypervisor's agent posting its own batches, four at a time), each timed until every raw event
 * is stored and every incident made (read from the service's PostgreSQL schema). Then the outbox relay's latency,
 * from the commit of an incident to Kafka's acknowledgement, as the service measured it.
 */
final class WatchdogIngest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final DateTimeFormatter VIRSH = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC);

    private WatchdogIngest() {
    }

    /** One measured run. */
    private record Run(double acceptedPerSec, double endToEndPerSec, double seconds, long incidents) {
    }

    /** Agents posting at the same moment when the events come from many hypervisors. */
    private static int agentsAtOnce = 16;

    static void run(String watchdog, String jdbcUrl, int events, int batch, int hypervisors, int agents)
            throws Exception {
        agentsAtOnce = agents;
        String auth = "Basic " + Base64.getEncoder().encodeToString(("agent:" + System.getenv()
                .getOrDefault("LIFEBOAT_AGENT_PASSWORD", "agent")).getBytes());
        String tag = "bench-" + System.currentTimeMillis() % 1_000_000;
        Run one = run(watchdog, jdbcUrl, auth, tag + "-one", events, batch, 1);
        Run many = run(watchdog, jdbcUrl, auth, tag + "-many", events, batch, hypervisors);
        double[] relay = relayLatency(watchdog);
        double[] idle = idleRelay(watchdog, auth, tag + "-idle", 100);
        new BenchReport("watchdog-ingest")
                .parameter("events", events)
                .parameter("batch", batch)
                .parameter("hypervisors", hypervisors)
                .parameter("agentsAtOnce", agents)
                .figure("oneAcceptedPerSec", "1 hypervisor: HTTP acceptance rate", one.acceptedPerSec(), "events/s")
                .figure("oneEndToEndPerSec", "1 hypervisor: posted → every raw event stored and incident made",
                        one.endToEndPerSec(), "events/s")
                .figure("manyAcceptedPerSec", hypervisors + " hypervisors: HTTP acceptance rate",
                        many.acceptedPerSec(), "events/s")
                .figure("manyEndToEndPerSec", hypervisors + " hypervisors: posted → every raw event stored and"
                        + " incident made", many.endToEndPerSec(), "events/s")
                .figure("incidents", "incidents made in the two runs", one.incidents() + many.incidents(),
                        "incidents")
                .figure("relayP50Ms", "outbox relay under that load, commit → Kafka ack, p50", relay[0], "ms")
                .figure("relayP99Ms", "outbox relay under that load, commit → Kafka ack, p99", relay[1], "ms")
                .figure("idleRelayP50Ms", "outbox relay, idle stack (100 single events), p50 at most", idle[0], "ms")
                .figure("idleRelayP99Ms", "outbox relay, idle stack (100 single events), p99 at most", idle[1], "ms")
                .print();
    }

    private static Run run(String watchdog, String jdbcUrl, String auth, String prefix, int events, int batch,
                           int hypervisors) throws Exception {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        // Each hypervisor's lines, in its own order, in batches of at most `batch` lines.
        List<List<String>> perHypervisor = new ArrayList<>();
        for (int h = 0; h < hypervisors; h++) {
            perHypervisor.add(new ArrayList<>());
        }
        for (int g = 0; g < events / 2; g++) {
            String domain = "instance-" + String.format("%08x", g);
            Instant t = t0.plusMillis(g);
            perHypervisor.get(g % hypervisors).add(VIRSH.format(t) + "+0000: event 'watchdog' for domain '" + domain
                    + "': pause\n" + VIRSH.format(t.plusMillis(1)) + "+0000: event 'lifecycle' for domain '" + domain
                    + "': Suspended Watchdog\n");
        }
        List<String[]> posts = new ArrayList<>();   // [hypervisor, body]
        for (int h = 0; h < hypervisors; h++) {
            StringBuilder b = new StringBuilder();
            int lines = 0;
            for (String pair : perHypervisor.get(h)) {
                b.append(pair);
                lines += 2;
                if (lines >= batch) {
                    posts.add(new String[] {prefix + "-hv" + h, b.toString()});
                    b.setLength(0);
                    lines = 0;
                }
            }
            if (lines > 0) {
                posts.add(new String[] {prefix + "-hv" + h, b.toString()});
            }
        }
        double storedBefore = metric(watchdog, "lifeboat_watchdog_raw_events_total", "outcome=\"stored\"");
        double incidentsBefore = metric(watchdog, "lifeboat_watchdog_incidents_total", "");
        long start = System.nanoTime();
        // One hypervisor posts its batches in order; several post in parallel, as their agents would.
        ExecutorService agents = Executors.newFixedThreadPool(hypervisors == 1 ? 1 : agentsAtOnce);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (String[] p : posts) {
                sent.add(agents.submit(() -> post(watchdog, auth, p[0], p[1])));
            }
            for (Future<?> f : sent) {
                f.get();
            }
        } finally {
            agents.shutdown();
        }
        double acceptedSec = (System.nanoTime() - start) / 1e9;
        // Progress from the service's own counters (polling the tables would load the database being measured).
        while (metric(watchdog, "lifeboat_watchdog_raw_events_total", "outcome=\"stored\"") - storedBefore < events
                || metric(watchdog, "lifeboat_watchdog_incidents_total", "") - incidentsBefore < events / 2.0) {
            Thread.sleep(100);
            if ((System.nanoTime() - start) / 1e9 > 900) {
                throw new IllegalStateException("not all stored after 15 min");
            }
        }
        long stored;
        long incidents;
        // The counters move just before a batch commits: the rows are checked (and the clock stopped) once they are.
        try (Connection c = DriverManager.getConnection(jdbcUrl, "lifeboat", "lifeboat")) {
            int tries = 0;
            do {
                stored = count(c, "select count(*) from watchdog.raw_event where hypervisor like ?", prefix + "-hv%");
                incidents = count(c, "select count(*) from watchdog.incident where hypervisor like ?",
                        prefix + "-hv%");
            } while ((stored < events || incidents < events / 2) && tries++ < 50 && sleep(100));
        }
        double totalSec = (System.nanoTime() - start) / 1e9;
        if (stored != events || incidents != events / 2) {
            throw new IllegalStateException("the tables hold " + stored + " raw events and " + incidents
                    + " incidents of this run, expected " + events + " and " + events / 2);
        }
        return new Run(events / acceptedSec, events / totalSec, totalSec, incidents);
    }

    private static Void post(String watchdog, String auth, String hypervisor, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(watchdog
                        + "/api/v1/events/virsh?hypervisor=" + hypervisor)).header("Authorization", auth)
                .header("Content-Type", "text/plain").timeout(Duration.ofMinutes(2))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 202) {
            throw new IllegalStateException("batch answered " + r.statusCode() + ": " + r.body());
        }
        return null;
    }

    /**
     * The relay on an idle stack: single events posted one at a time (each a new incident, one outbox row), and the
     * relay's latency histogram read before and after. Returns the upper bounds of the buckets holding p50 and p99.
     */
    private static double[] idleRelay(String watchdog, String auth, String hypervisor, int n) throws Exception {
        Thread.sleep(3000);   // the load runs' tail leaves the relay
        java.util.TreeMap<Double, Double> before = buckets(watchdog);
        double incidentsBefore = metric(watchdog, "lifeboat_watchdog_incidents_total", "");
        Instant t = Instant.parse("2026-02-01T00:00:00Z");
        for (int i = 0; i < n; i++) {
            post(watchdog, auth, hypervisor, VIRSH.format(t.plusSeconds(i)) + "+0000: event 'watchdog' for domain"
                    + " 'idle-" + i + "': reset\n");
            Thread.sleep(50);
        }
        while (metric(watchdog, "lifeboat_watchdog_incidents_total", "") - incidentsBefore < n) {
            Thread.sleep(100);
        }
        Thread.sleep(1000);
        java.util.TreeMap<Double, Double> after = buckets(watchdog);
        java.util.TreeMap<Double, Double> delta = new java.util.TreeMap<>();
        after.forEach((le, count) -> delta.put(le, count - before.getOrDefault(le, 0.0)));
        double total = delta.lastEntry().getValue();
        double p50 = Double.NaN;
        double p99 = Double.NaN;
        for (var e : delta.entrySet()) {
            if (Double.isNaN(p50) && e.getValue() >= 0.5 * total) {
                p50 = e.getKey() * 1000;
            }
            if (Double.isNaN(p99) && e.getValue() >= 0.99 * total) {
                p99 = e.getKey() * 1000;
            }
        }
        return new double[] {p50, p99};
    }

    /** The relay latency histogram: bucket upper bound (s) → cumulative count. */
    private static java.util.TreeMap<Double, Double> buckets(String watchdog) throws Exception {
        String body = HTTP.send(HttpRequest.newBuilder(URI.create(watchdog + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        java.util.TreeMap<Double, Double> out = new java.util.TreeMap<>();
        for (String line : body.split("\n")) {
            if (line.startsWith("lifeboat_outbox_relay_latency_seconds_bucket{")) {
                String le = line.substring(line.indexOf("le=\"") + 4, line.indexOf('"', line.indexOf("le=\"") + 4));
                double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
                out.put(bound, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        return out;
    }

    private static boolean sleep(long ms) throws InterruptedException {
        Thread.sleep(ms);
        return true;
    }

    private static double metric(String watchdog, String name, String label) throws Exception {
        String body = HTTP.send(HttpRequest.newBuilder(URI.create(watchdog + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        double sum = 0;
        for (String line : body.split("\n")) {
            if ((line.startsWith(name + "{") || line.startsWith(name + " ")) && line.contains(label)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** p50 and p99 of {@code lifeboat_outbox_relay_latency_seconds}, in ms. */
    private static double[] relayLatency(String watchdog) throws Exception {
        String body = HTTP.send(HttpRequest.newBuilder(URI.create(watchdog + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        double p50 = Double.NaN;
        double p99 = Double.NaN;
        for (String line : body.split("\n")) {
            if (line.startsWith("lifeboat_outbox_relay_latency_seconds{") && line.contains("quantile=\"0.5\"")) {
                p50 = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) * 1000;
            }
            if (line.startsWith("lifeboat_outbox_relay_latency_seconds{") && line.contains("quantile=\"0.99\"")) {
                p99 = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) * 1000;
            }
        }
        return new double[] {p50, p99};
    }

    private static long count(Connection c, String sql, String pattern) throws Exception {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, pattern);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
