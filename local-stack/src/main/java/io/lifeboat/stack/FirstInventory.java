package io.lifeboat.stack;

import com.fasterxml.jackson.databind.JsonNode;
import io.lifeboat.common.json.Json;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * "Up" means the data has arrived: waits until every source's first collection cycle has completed and the
 * mapping-service holds as many hosts and VMs of each source as that cycle collected (read from its tables), printing
 * a progress line; then answers one line per source with both counts.
 */
final class FirstInventory {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private FirstInventory() {
    }

    /** The lines to print (each ending in a newline), after waiting at most {@code timeout}. */
    static String await(StackLayout layout, PostgresNode postgres, Duration timeout) throws InterruptedException {
        int collector = layout.apps().stream().filter(a -> a.name().equals("collector-service")).findFirst()
                .orElseThrow().port();
        long t0 = System.nanoTime();
        long deadline = t0 + timeout.toNanos();
        String last = "";
        long lastPrint = 0;
        while (true) {
            Map<String, int[]> collected = new TreeMap<>();
            Map<String, int[]> mapped = new TreeMap<>();
            String problem = read(collector, postgres, collected, mapped);
            boolean done = problem == null && !collected.isEmpty() && collected.entrySet().stream()
                    .allMatch(e -> java.util.Arrays.equals(e.getValue(), mapped.getOrDefault(e.getKey(),
                            new int[2])));
            last = lines(collected, mapped, problem);
            if (done) {
                return String.format("  First inventory in the mapping-service (%.1f s after the services were"
                        + " ready):%n", (System.nanoTime() - t0) / 1e9).replace("%", "%%").replace("%%n", "%n")
                        + last;
            }
            if (System.nanoTime() > deadline) {
                return ("  First inventory NOT complete after " + timeout.toSeconds() + " s (the stack is up; see"
                        + " ./lifeboat status and the logs):%n").replace("%n", "%n") + last;
            }
            if (System.nanoTime() - lastPrint > 5_000_000_000L) {
                System.out.printf("lifeboat: waiting for the first inventory (%d s) %s%n",
                        (System.nanoTime() - t0) / 1_000_000_000, problem == null ? last.replace("%n", " ")
                                .replaceAll("\\\\s+", " ").trim() : problem);
                lastPrint = System.nanoTime();
            }
            Thread.sleep(500);
        }
    }

    /** Fills the counts; returns why they cannot be compared yet, or null. */
    private static String read(int collectorPort, PostgresNode postgres, Map<String, int[]> collected,
                               Map<String, int[]> mapped) {
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://localhost:" + collectorPort
                            + "/api/v1/sources"))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("viewer:viewer"
                            .getBytes(StandardCharsets.UTF_8)))
                    .timeout(Duration.ofSeconds(10)).build();
            HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return "(the collector answered " + r.statusCode() + ")";
            }
            String waiting = null;
            for (JsonNode source : Json.mapper().readTree(r.body())) {
                JsonNode cycle = source.path("lastCycle");
                String outcome = cycle.path("outcome").asText("");
                if (cycle.isMissingNode() || cycle.isNull() || !(outcome.equals("COMPLETE")
                        || outcome.equals("PARTIAL"))) {
                    waiting = "(" + source.path("id").asText() + ": first cycle not complete yet)";
                    continue;
                }
                collected.put(source.path("id").asText(), new int[] {cycle.path("hosts").asInt(),
                        cycle.path("vms").asInt()});
            }
            try (Connection c = postgres.connect(); Statement st = c.createStatement()) {
                count(st, "select source_id, count(*) from mapping.host_interval where valid_to is null"
                        + " group by source_id", mapped, 0);
                count(st, "select source_id, count(*) from mapping.vm_interval where valid_to is null"
                        + " group by source_id", mapped, 1);
            }
            return waiting;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        } catch (Exception e) {
            return "(" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
        }
    }

    private static void count(Statement st, String sql, Map<String, int[]> into, int slot) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                into.computeIfAbsent(rs.getString(1), k -> new int[2])[slot] = rs.getInt(2);
            }
        }
    }

    private static String lines(Map<String, int[]> collected, Map<String, int[]> mapped, String problem) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, int[]> e : collected.entrySet()) {
            int[] m = mapped.getOrDefault(e.getKey(), new int[2]);
            b.append(String.format("    %-14s collected %4d hosts %6d VMs; the mapping-service holds %4d hosts"
                    + " %6d VMs%n", e.getKey(), e.getValue()[0], e.getValue()[1], m[0], m[1]));
        }
        if (problem != null) {
            b.append("    ").append(problem).append(System.lineSeparator());
        }
        return b.toString();
    }
}
