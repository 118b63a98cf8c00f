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

/**
 * HTTP batch ingestion of {@code virsh event} lines, end to end: N lines (a watchdog pause and its lifecycle
 * "Suspended Watchdog" per guest, N/2 guests) posted in batches to the watchdog-service, timed until every raw event
 * is stored and every incident made (read from its PostgreSQL schema). Prints events/s.
 */
final class WatchdogIngest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final DateTimeFormatter VIRSH = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC);

    private WatchdogIngest() {
    }

    static void run(String watchdog, String jdbcUrl, int events, int batch) throws Exception {
        String hypervisor = "bench-hv-" + System.currentTimeMillis() % 1_000_000;
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        List<String> bodies = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        int inBatch = 0;
        for (int g = 0; g < events / 2; g++) {
            String domain = "instance-" + String.format("%08x", g);
            Instant t = t0.plusMillis(g);
            b.append(VIRSH.format(t)).append("+0000: event 'watchdog' for domain '").append(domain)
                    .append("': pause\n");
            b.append(VIRSH.format(t.plusMillis(1))).append("+0000: event 'lifecycle' for domain '").append(domain)
                    .append("': Suspended Watchdog\n");
            inBatch += 2;
            if (inBatch >= batch) {
                bodies.add(b.toString());
                b.setLength(0);
                inBatch = 0;
            }
        }
        if (inBatch > 0) {
            bodies.add(b.toString());
        }
        String auth = "Basic " + Base64.getEncoder().encodeToString(("agent:" + System.getenv()
                .getOrDefault("LIFEBOAT_AGENT_PASSWORD", "agent")).getBytes());
        long start = System.nanoTime();
        for (String body : bodies) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(watchdog
                            + "/api/v1/events/virsh?hypervisor=" + hypervisor)).header("Authorization", auth)
                    .header("Content-Type", "text/plain").timeout(Duration.ofMinutes(2))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 202) {
                throw new IllegalStateException("batch answered " + r.statusCode() + ": " + r.body());
            }
        }
        double acceptedSec = (System.nanoTime() - start) / 1e9;
        long stored;
        long incidents;
        try (Connection c = DriverManager.getConnection(jdbcUrl, "lifeboat", "lifeboat")) {
            do {
                Thread.sleep(200);
                stored = count(c, "select count(*) from watchdog.raw_event where hypervisor = ?", hypervisor);
                incidents = count(c, "select count(*) from watchdog.incident where hypervisor = ?", hypervisor);
                if ((System.nanoTime() - start) / 1e9 > 900) {
                    throw new IllegalStateException("not all stored after 15 min: " + stored + " events");
                }
            } while (stored < events || incidents < events / 2);
        }
        double totalSec = (System.nanoTime() - start) / 1e9;
        new BenchReport("watchdog-ingest")
                .parameter("events", events)
                .parameter("batch", batch)
                .parameter("guests", events / 2)
                .figure("acceptedSec", "all batches accepted (published to the raw topic)", acceptedSec, "s")
                .figure("acceptedPerSec", "HTTP acceptance rate", events / acceptedSec, "events/s")
                .figure("endToEndSec", "posted → every raw event stored and every incident made", totalSec, "s")
                .figure("endToEndPerSec", "end-to-end rate", events / totalSec, "events/s")
                .figure("incidents", "incidents made", incidents, "incidents")
                .print();
    }

    private static long count(Connection c, String sql, String hypervisor) throws Exception {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, hypervisor);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
