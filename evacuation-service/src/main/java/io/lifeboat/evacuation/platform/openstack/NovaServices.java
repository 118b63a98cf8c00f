package io.lifeboat.evacuation.platform.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.cloud.CloudCallException;
import io.lifeboat.cloud.openstack.KeystoneSession;
import io.lifeboat.cloud.openstack.OpenStackHttp;
import io.lifeboat.evacuation.platform.openstack.NovaApi.ComputeService;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Nova's compute services (wire-formats.md A.2): read, forced down and disabled, enabled, unfenced; in the 2.53 form
 * by service id, or the 2.11 form on a Nova that serves less.
 */
final class NovaServices {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KeystoneSession session;

    NovaServices(KeystoneSession session) {
        this.session = session;
    }

    private int minor() {
        return session.microversionMinor();
    }

    private String version() {
        return session.microversion();
    }

    private JsonNode send(String method, String path, JsonNode body, String version) {
        return session.send(method, session.computeUrl() + path, body, version);
    }

    private static String q(String s) {
        return OpenStackHttp.encode(s);
    }

    Optional<ComputeService> computeService(String host) {
        JsonNode root = session.idempotent("list nova-compute services of " + host, () ->
                send("GET", "/os-services?binary=nova-compute&host=" + q(host), null, version()));
        for (JsonNode s : root.path("services")) {
            if (host.equals(s.path("host").asText())) {
                return Optional.of(service(s));
            }
        }
        return Optional.empty();
    }

    List<ComputeService> computeServices() {
        JsonNode root = session.idempotent("list nova-compute services", () ->
                send("GET", "/os-services?binary=nova-compute", null, version()));
        List<ComputeService> out = new ArrayList<>();
        for (JsonNode s : root.path("services")) {
            out.add(service(s));
        }
        return out;
    }

    static ComputeService service(JsonNode s) {
        Instant heartbeat;
        try {
            heartbeat = NovaHttpClient.time(s.path("updated_at").asText(null));
        } catch (java.time.format.DateTimeParseException e) {
            heartbeat = null;   // an unreadable heartbeat is no heartbeat: never evidence either way
        }
        return new ComputeService(s.path("id").asText(), s.path("host").asText(), s.path("state").asText(null),
                s.path("status").asText(null), s.has("forced_down") ? s.get("forced_down").asBoolean() : null,
                s.hasNonNull("disabled_reason") ? s.get("disabled_reason").asText() : null, heartbeat);
    }

    ComputeService forceDown(ComputeService s, String reason) {
        String host = s.host();
        if (minor() >= 53) {
            ObjectNode body = JSON.createObjectNode().put("forced_down", true).put("status", "disabled")
                    .put("disabled_reason", reason);
            try {
                JsonNode r = session.idempotent("force down " + host + " (2.53)", () ->
                        send("PUT", "/os-services/" + q(s.id()), body, version()));
                return service(r.path("service"));
            } catch (CloudCallException e) {
                if (e.status() != 404 && e.status() != 406) {
                    throw e;
                }
                // 406: the cloud does not serve 2.53; fall back to the 2.11 form below (wire-formats.md A.2).
            }
        }
        ObjectNode down = JSON.createObjectNode().put("host", host).put("binary", "nova-compute")
                .put("forced_down", true);
        session.idempotent("force down " + host + " (2.11)", () -> send("PUT", "/os-services/force-down", down, "2.11"));
        ObjectNode disable = JSON.createObjectNode().put("host", host).put("binary", "nova-compute")
                .put("disabled_reason", reason);
        session.idempotent("disable " + host, () -> send("PUT", "/os-services/disable-log-reason", disable, "2.11"));
        return computeService(host).orElseThrow();
    }

    void enable(String host) {
        if (minor() >= 53) {
            ComputeService s = computeService(host).orElseThrow(() ->
                    new CloudCallException("no nova-compute service on host " + host, 404, null));
            ObjectNode body = JSON.createObjectNode().put("status", "enabled");
            session.idempotent("enable " + host, () -> send("PUT", "/os-services/" + q(s.id()), body, version()));
            return;
        }
        ObjectNode body = JSON.createObjectNode().put("host", host).put("binary", "nova-compute");
        session.idempotent("enable " + host, () -> send("PUT", "/os-services/enable", body, "2.11"));
    }

    ComputeService unfence(String host) {
        if (minor() >= 53) {
            ComputeService s = computeService(host).orElseThrow(() ->
                    new CloudCallException("no nova-compute service on host " + host, 404, null));
            ObjectNode body = JSON.createObjectNode().put("forced_down", false).put("status", "enabled");
            JsonNode r = session.idempotent("unfence " + host + " (2.53)", () ->
                    send("PUT", "/os-services/" + q(s.id()), body, version()));
            return service(r.path("service"));
        }
        ObjectNode up = JSON.createObjectNode().put("host", host).put("binary", "nova-compute")
                .put("forced_down", false);
        session.idempotent("unset forced_down of " + host + " (2.11)", () -> send("PUT", "/os-services/force-down", up,
                "2.11"));
        enable(host);
        return computeService(host).orElseThrow();
    }
}
