package io.lifeboat.cloud.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.cloud.CloudCallException;
import io.lifeboat.cloud.SourceConnection;
import io.lifeboat.cloud.Tls;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * One HTTP exchange with an OpenStack service (the calls openstack4j cannot make correctly: Nova's paged
 * {@code servers/detail}, the recovery actions at a microversion). An error answer becomes a
 * {@link CloudCallException} with its status and the service's fault message.
 */
public final class OpenStackHttp {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final Duration timeout;

    public OpenStackHttp(SourceConnection connection, Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(Math.min(timeout.toMillis(), 15_000)))
                .sslContext(Tls.context(connection)).build();
    }

    /**
     * Sends one request and reads its JSON answer (null when empty).
     *
     * @param microversion the compute microversion to ask for ({@code OpenStack-API-Version: compute 2.53}), or null
     */
    public JsonNode send(String method, String url, String token, JsonNode body, String microversion) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("X-Auth-Token", token)
                .header("Accept", "application/json");
        if (microversion != null) {
            b.header("OpenStack-API-Version", "compute " + microversion);
        }
        if (body != null) {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new CloudCallException(method + " " + path(url) + ": no answer (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", CloudCallException.NO_ANSWER, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CloudCallException(method + " " + path(url) + ": interrupted", CloudCallException.NO_ANSWER, e);
        }
        if (r.statusCode() >= 400) {
            throw new CloudCallException(method + " " + path(url) + " → " + r.statusCode() + ": "
                    + faultMessage(r.body()), r.statusCode(), null);
        }
        if (r.body() == null || r.body().isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw CloudCallException.notSent(method + " " + path(url) + " → " + r.statusCode()
                    + ": an answer that is not JSON", e);
        }
    }

    /**
     * The message of an OpenStack fault: Nova's and Cinder's {@code {"<faultName>": {"code", "message"}}}
     * (wire-formats.md A.0), Keystone's and Glance's {@code {"error": {"message"}}}; else the body's start.
     */
    public static String faultMessage(String body) {
        try {
            JsonNode n = JSON.readTree(body);
            if (n != null && n.isObject() && n.size() == 1) {
                JsonNode fault = n.elements().next();
                if (fault.hasNonNull("message")) {
                    return fault.get("message").asText();
                }
            }
        } catch (Exception e) {
            // not JSON: the body itself
        }
        return body == null || body.isBlank() ? "(no body)" : body.length() > 300 ? body.substring(0, 300) : body;
    }

    /** {@code k=v&k2=v2}, encoded, in the map's order. */
    public static String query(Map<String, String> q) {
        StringBuilder sb = new StringBuilder();
        q.forEach((k, v) -> {
            if (!sb.isEmpty()) {
                sb.append('&');
            }
            sb.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        return sb.toString();
    }

    public static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The URL without scheme and host, for messages. */
    private static String path(String url) {
        int i = url.indexOf("://");
        int slash = i < 0 ? -1 : url.indexOf('/', i + 3);
        return slash < 0 ? url : url.substring(slash);
    }
}
