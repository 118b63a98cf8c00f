package io.lifeboat.evacuation.fencing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.evacuation.platform.CloudCallException;
import io.lifeboat.evacuation.platform.CloudCalls;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Fences through the host's BMC: Redfish {@code ComputerSystem.Reset} with {@code ForceOff}, then {@code PowerState}
 * until {@code Off}. The ComputerSystem's URL comes from a template with {@code {host}} and {@code {source}}.
 * <p>
 * The proof is the {@code PowerState} read after the reset, never the reset's answer: many BMCs answer 409 (some 400)
 * to a ForceOff of a chassis that went off on its own meanwhile (reference/peers.md, "Fencing pitfalls"), so such an
 * answer is followed by fresh reads and counts as fenced when they say Off. Every exchange with the BMC (method,
 * status, the BMC's message) is kept in the outcome's detail, which goes to the audit trail. A BMC that does not
 * answer at all (it lost power with the host) makes this fencer {@code UNAVAILABLE}, so the next fencer of the chain
 * is tried, or an operator asked.
 */
public final class RedfishFencer implements Fencer {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The longest BMC message kept per exchange in the detail. */
    private static final int MESSAGE_CHARS = 160;

    private final String systemUrlTemplate;
    private final String authorization;
    private final Duration powerOffTimeout;
    private final CloudCalls calls;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public RedfishFencer(String systemUrlTemplate, String username, String password, Duration powerOffTimeout,
                         CloudCalls calls) {
        this.systemUrlTemplate = systemUrlTemplate;
        this.authorization = username == null ? null : "Basic " + Base64.getEncoder().encodeToString(
                (username + ":" + (password == null ? "" : password)).getBytes(StandardCharsets.UTF_8));
        this.powerOffTimeout = powerOffTimeout;
        this.calls = calls;
    }

    @Override
    public String name() {
        return "redfish";
    }

    String systemUrl(Target host) {
        return systemUrlTemplate.replace("{host}", host.name()).replace("{source}", host.sourceId())
                .replace("{hostId}", host.hostId());
    }

    @Override
    public FenceOutcome fence(Target host) {
        String url = systemUrl(host);
        List<String> exchanges = new ArrayList<>();
        try {
            String state = powerState(url, exchanges);
            if (!"Off".equals(state)) {
                try {
                    calls.idempotent("Redfish ForceOff of " + host.name(), () -> send("POST", url
                            + "/Actions/ComputerSystem.Reset", "{\"ResetType\":\"ForceOff\"}", exchanges));
                } catch (CloudCallException e) {
                    if (e.status() != 409 && e.status() != 400) {
                        throw e;
                    }
                    // The BMC refused the reset: perhaps the host went off meanwhile. Only PowerState can tell.
                }
            }
            long deadline = System.nanoTime() + powerOffTimeout.toNanos();
            while (!"Off".equals(state = powerState(url, exchanges))) {
                if (System.nanoTime() > deadline) {
                    return FenceOutcome.failed("BMC " + url + " still reports PowerState " + state + " "
                            + powerOffTimeout.toSeconds() + " s after ForceOff; " + summary(exchanges));
                }
                CloudCalls.sleep(1000);
            }
            return FenceOutcome.fenced("PowerState Off read from the BMC after ForceOff (" + url + "); "
                    + summary(exchanges));
        } catch (CloudCallException e) {
            if (e.status() == 404) {
                return FenceOutcome.unavailable("no BMC system at " + url + "; " + summary(exchanges));
            }
            if (e.status() == 0) {
                return FenceOutcome.unavailable("the BMC at " + url + " does not answer (" + e.getMessage()
                        + "): it may have lost power with the host; " + summary(exchanges));
            }
            return FenceOutcome.failed(e.getMessage() + "; " + summary(exchanges));
        }
    }

    /**
     * The exchanges in order, repeated PowerState reads folded ({@code GET → 200 On ×12}), so that the detail stays
     * short however long the wait.
     */
    static String summary(List<String> exchanges) {
        List<String> folded = new ArrayList<>();
        String last = null;
        int repeats = 0;
        for (String e : exchanges) {
            if (e.equals(last)) {
                repeats++;
                continue;
            }
            if (last != null) {
                folded.add(repeats > 1 ? last + " ×" + repeats : last);
            }
            last = e;
            repeats = 1;
        }
        if (last != null) {
            folded.add(repeats > 1 ? last + " ×" + repeats : last);
        }
        return "BMC exchanges: " + (folded.isEmpty() ? "none" : String.join(", ", folded));
    }

    private String powerState(String url, List<String> exchanges) {
        JsonNode n = calls.idempotent("Redfish power state", () -> send("GET", url, null, exchanges));
        return n == null ? "Unknown" : n.path("PowerState").asText("Unknown");
    }

    private JsonNode send(String method, String url, String body, List<String> exchanges) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json");
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        String what = method.equals("GET") ? "GET PowerState" : "POST Reset ForceOff";
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            exchanges.add(what + " → no answer (" + e.getClass().getSimpleName() + ")");
            throw e;
        }
        JsonNode json = null;
        try {
            json = r.body() == null || r.body().isBlank() ? null : JSON.readTree(r.body());
        } catch (Exception e) {
            // not JSON: the raw body is the message
        }
        if (r.statusCode() >= 400) {
            String message = json == null ? r.body() : json.path("error").path("message").asText(r.body());
            message = message == null ? "" : message.length() > MESSAGE_CHARS
                    ? message.substring(0, MESSAGE_CHARS) + "…" : message;
            exchanges.add(what + " → " + r.statusCode() + " " + message);
            throw new CloudCallException(method + " " + url + " → " + r.statusCode() + ": " + message,
                    r.statusCode(), null);
        }
        exchanges.add(what + " → " + r.statusCode() + (method.equals("GET") && json != null
                ? " " + json.path("PowerState").asText("Unknown") : ""));
        return json;
    }
}
