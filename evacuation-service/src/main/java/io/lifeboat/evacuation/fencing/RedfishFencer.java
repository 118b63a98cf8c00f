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
import java.util.Base64;

/**
 * Fences through the host's BMC: Redfish {@code ComputerSystem.Reset} with {@code ForceOff}, then {@code PowerState}
 * until {@code Off}. The ComputerSystem's URL comes from a template with {@code {host}} and {@code {source}}.
 */
public final class RedfishFencer implements Fencer {

    private static final ObjectMapper JSON = new ObjectMapper();

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
        try {
            if (!"Off".equals(powerState(url))) {
                calls.idempotent("Redfish ForceOff of " + host.name(), () -> send("POST", url
                        + "/Actions/ComputerSystem.Reset", "{\"ResetType\":\"ForceOff\"}"));
            }
            long deadline = System.nanoTime() + powerOffTimeout.toNanos();
            String state;
            while (!"Off".equals(state = powerState(url))) {
                if (System.nanoTime() > deadline) {
                    return FenceOutcome.failed("BMC " + url + " still reports PowerState " + state + " "
                            + powerOffTimeout.toSeconds() + " s after ForceOff");
                }
                CloudCalls.sleep(1000);
            }
            return FenceOutcome.fenced("Redfish ForceOff, PowerState Off (" + url + ")");
        } catch (CloudCallException e) {
            return e.status() == 404 ? FenceOutcome.unavailable("no BMC system at " + url + ": " + e.getMessage())
                    : FenceOutcome.failed(e.getMessage());
        }
    }

    private String powerState(String url) {
        JsonNode n = calls.idempotent("Redfish power state", () -> send("GET", url, null));
        return n == null ? "Unknown" : n.path("PowerState").asText("Unknown");
    }

    private JsonNode send(String method, String url, String body) throws Exception {
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
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 400) {
            String message = r.body();
            try {
                message = JSON.readTree(r.body()).path("error").path("message").asText(r.body());
            } catch (Exception e) {
                // not JSON
            }
            throw new CloudCallException(method + " " + url + " → " + r.statusCode() + ": " + message,
                    r.statusCode(), null);
        }
        return r.body() == null || r.body().isBlank() ? null : JSON.readTree(r.body());
    }
}
