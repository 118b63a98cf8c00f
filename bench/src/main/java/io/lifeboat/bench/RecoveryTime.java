package io.lifeboat.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.lifeboat.common.json.Json;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Time to recovery after a power loss, on the local stack: an OpenStack host loses power (Nova's
 * {@code service_down_time} at the simulator's 60 s), and the first evacuate call (Nova's own migration record, from
 * the simulator's truth) and the episode's RECOVERED are timed from that moment; then the host is repaired and
 * unfenced for the next run. Printed beside Nova's own detection and the peers (peers.md): Masakari waits for Nova's
 * 60 s and then 180 s more; vSphere HA restarts VMs after 15–35 s.
 */
final class RecoveryTime {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String SOURCE = "openstack-1";

    private RecoveryTime() {
    }

    static void run(String simulator, String evacuation, String viewer, String operator, List<String> hosts)
            throws Exception {
        JsonNode settings = send("PUT", simulator + "/sim/v1/sources/" + SOURCE + "/settings", "{}", null);
        String serviceDownTime = settings.path("serviceDownTime").asText();
        List<double[]> runs = new ArrayList<>();
        for (String host : hosts) {
            runs.add(once(simulator, evacuation, viewer, operator, host));
        }
        BenchReport r = new BenchReport("recovery-time").parameter("source", SOURCE).parameter("hosts", hosts)
                .parameter("novaServiceDownTime", serviceDownTime);
        for (int i = 0; i < runs.size(); i++) {
            r.figure("first_call_s_" + (i + 1), hosts.get(i) + ": first evacuate call after the power loss",
                    runs.get(i)[0], "s");
            r.figure("recovered_s_" + (i + 1), hosts.get(i) + ": RECOVERED (last instance ACTIVE elsewhere)",
                    runs.get(i)[1], "s");
        }
        r.figure("first_call_s_median", "Lifeboat: first evacuate call, median", median(runs, 0), "s");
        r.figure("recovered_s_median", "Lifeboat: recovered, median", median(runs, 1), "s");
        double nova = Duration.parse(serviceDownTime).toMillis() / 1000.0;
        r.figure("nova_down_s", "Nova itself: the service reported down after (service_down_time)", nova, "s");
        r.figure("masakari_min_s", "Masakari: first evacuate call at the earliest (60 s + its 180 s wait)", 240, "s");
        r.figure("vsphere_min_s", "vSphere HA: VMs restarted after, from", 15, "s");
        r.figure("vsphere_max_s", "vSphere HA: VMs restarted after, to", 35, "s");
        r.print();
    }

    /** One power loss of the host: seconds to the first evacuate call and to RECOVERED; then repaired and unfenced. */
    private static double[] once(String sim, String svc, String viewer, String operator, String host)
            throws Exception {
        JsonNode truth = send("GET", sim + "/sim/v1/sources/" + SOURCE + "/truth", null, null);
        for (JsonNode h : truth.path("hosts")) {
            if (host.equals(h.path("host").asText()) && (h.path("forcedDown").asBoolean()
                    || !"up".equals(h.path("serviceState").asText()))) {
                throw new IllegalStateException(host + " is not up (forced down, or its service down): start from a"
                        + " healthy host, or restart the stack on a new data folder");
            }
        }
        String previous = latestEpisode(svc, viewer, host).path("id").asText(null);
        Instant powerLoss = Instant.now();
        send("POST", sim + "/sim/v1/sources/" + SOURCE + "/hosts/" + host + "/fail", "{\"mode\":\"POWER_LOSS\"}",
                null);
        JsonNode episode;
        Instant deadline = powerLoss.plusSeconds(180);
        do {
            Thread.sleep(250);
            episode = latestEpisode(svc, viewer, host);
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(host + ": not recovered 180 s after the power loss: " + episode);
            }
        } while (episode.path("id").asText("").equals(previous == null ? "" : previous)
                || !episode.path("phase").asText().endsWith("RECOVERED"));
        Instant firstCall = null;
        for (JsonNode s : send("GET", sim + "/sim/v1/sources/" + SOURCE + "/truth", null, null).path("servers")) {
            for (JsonNode m : s.path("evacuations")) {
                Instant at = Instant.parse(m.path("createdAt").asText());
                if (host.equals(m.path("from").asText()) && at.isAfter(powerLoss)
                        && (firstCall == null || at.isBefore(firstCall))) {
                    firstCall = at;
                }
            }
        }
        JsonNode timings = episode.path("timings");
        Instant recovered = Instant.parse(timings.path("firstEvidenceAt").asText()).plusMillis(
                (long) (timings.path("lastInstanceActive").asDouble() * 1000));
        double[] out = {firstCall == null ? Double.NaN : secs(powerLoss, firstCall), secs(powerLoss, recovered)};
        System.out.printf("%s: first evacuate call %.1f s, RECOVERED %.1f s after the power loss; timings %s%n", host,
                out[0], out[1], timings);
        // Repaired and unfenced (an operator's approval), its episode closed: the stack as it was.
        String id = episode.path("id").asText();
        send("POST", sim + "/sim/v1/sources/" + SOURCE + "/hosts/" + host + "/recover", null, null);
        String unfence = svc + "/api/v1/episodes/" + id + "/unfence";
        Instant until = Instant.now().plusSeconds(60);
        while (send("POST", unfence + "?dryRun=true", "{}", operator).path("blockers").size() > 0) {
            if (Instant.now().isAfter(until)) {
                throw new IllegalStateException(host + " still cannot be unfenced 60 s after its repair");
            }
            Thread.sleep(500);
        }
        send("POST", unfence + "?dryRun=false", "{\"reason\":\"recovery-time benchmark\"}", operator);
        until = Instant.now().plusSeconds(60);
        while (!send("GET", svc + "/api/v1/episodes/" + id, null, viewer).path("closedAt").isTextual()) {
            if (Instant.now().isAfter(until)) {
                throw new IllegalStateException(host + "'s episode is still open 60 s after its unfence");
            }
            Thread.sleep(500);
        }
        return out;
    }

    private static JsonNode latestEpisode(String svc, String viewer, String host) throws Exception {
        JsonNode l = send("GET", svc + "/api/v1/episodes?source=" + SOURCE + "&host=" + host + "&limit=1", null,
                viewer);
        return l.size() == 0 ? Json.mapper().createObjectNode() : l.get(0);
    }

    private static double secs(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }

    private static double median(List<double[]> runs, int i) {
        double[] v = runs.stream().mapToDouble(r -> r[i]).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static JsonNode send(String method, String url, String body, String basic) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (basic != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(
                    StandardCharsets.UTF_8)));
        }
        HttpResponse<String> r = HTTP.send(SimulatorToken.authorize(b, url).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + url + " → " + r.statusCode() + ": " + r.body());
        }
        return r.body() == null || r.body().isBlank() ? Json.mapper().createObjectNode() : Json.mapper()
                .readTree(r.body());
    }
}
