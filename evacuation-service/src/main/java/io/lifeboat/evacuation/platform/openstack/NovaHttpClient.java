package io.lifeboat.evacuation.platform.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.evacuation.config.EvacuationConfig;
import io.lifeboat.evacuation.platform.CloudCallException;
import io.lifeboat.evacuation.platform.CloudCalls;
import org.openstack4j.api.OSClient.OSClientV3;
import org.openstack4j.api.types.Facing;
import org.openstack4j.core.transport.Config;
import org.openstack4j.model.common.Identifier;
import org.openstack4j.model.identity.v3.Endpoint;
import org.openstack4j.model.identity.v3.Token;
import org.openstack4j.openstack.OSFactory;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Nova through its REST API, authenticated with openstack4j (Keystone v3 token and catalog). The recovery calls are
 * made here because openstack4j cannot make them correctly (notes on openstack4j 3.12): its evacuate always sends
 * {@code onSharedStorage}, which Nova rejects from 2.14, and cannot read the empty 2.14+ answer; it has neither the
 * 2.53 force-down nor pagination of {@code servers/detail}.
 */
public final class NovaHttpClient implements NovaApi {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(NovaHttpClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TOKEN_REUSE = Duration.ofMinutes(30);
    private static final int PAGE = 200;
    private static final int HYPERVISOR_PAGE = 500;

    private final EvacuationConfig.Source config;
    private final String password;
    private final CloudCalls calls;
    private final Clock clock;
    private final HttpClient http;
    private final Duration timeout;
    /** The configured microversion, and the one used: the configured one, or the highest below it Nova serves. */
    private final String configuredMicroversion;
    private volatile String usedMicroversion;
    private volatile int usedMinor;

    /** Flavors by id, for servers listed below 2.47 (a flavor's size never changes: Nova copies it per instance). */
    private final Map<String, NovaApi.Flavor> flavors = new java.util.concurrent.ConcurrentHashMap<>();

    private Token token;
    private Instant tokenAt;
    private String computeUrl;

    public NovaHttpClient(EvacuationConfig.Source config, String password, CloudCalls calls, Clock clock) {
        this.config = config;
        this.password = password;
        this.calls = calls;
        this.clock = clock;
        this.timeout = config.callTimeout();
        this.configuredMicroversion = config.computeMicroversion();
        this.usedMicroversion = configuredMicroversion;
        this.usedMinor = minorOf(configuredMicroversion);
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(Math.min(timeout.toMillis(), 15_000)))
                .build();
    }

    @Override
    public int microversion() {
        return minor();
    }

    // ------------------------------------------------------------------ session

    private synchronized String tokenId() {
        if (token == null || tokenAt.plus(TOKEN_REUSE).isBefore(clock.instant())) {
            int ms = (int) Math.min(timeout.toMillis(), Integer.MAX_VALUE);
            OSClientV3 os = calls.idempotent("authenticate with Keystone", () -> OSFactory.builderV3()
                    .endpoint(config.url().replaceAll("/+$", ""))
                    .credentials(config.username(), password, Identifier.byName(config.userDomain()))
                    .scopeToProject(Identifier.byName(config.project()), Identifier.byName(config.projectDomain()))
                    .perspective(Facing.value(config.endpointInterface()))
                    .withConfig(Config.newConfig().withConnectionTimeout(ms).withReadTimeout(ms))
                    .authenticate());
            token = os.getToken();
            tokenAt = clock.instant();
            computeUrl = null;
            for (org.openstack4j.model.identity.v3.Service s : token.getCatalog()) {
                if ("compute".equals(s.getType())) {
                    for (Endpoint e : s.getEndpoints()) {
                        if (e.getIface() == Facing.value(config.endpointInterface())) {
                            computeUrl = e.getUrl().toString().replaceAll("/+$", "");
                        }
                    }
                }
            }
            if (computeUrl == null) {
                throw new CloudCallException("the Keystone catalog has no " + config.endpointInterface()
                        + " compute endpoint", 400, null);
            }
            negotiate();
        }
        return token.getId();
    }

    /**
     * Microversion negotiation, as python-novaclient does: Nova's version document ({@code GET /v2.1/}) names the
     * highest microversion it serves; when that is below the configured one, the highest it serves is used (so a
     * Nova before 2.53 gets the 2.11 force-down form rather than a 406 on every call). Read at each new session:
     * an upgraded Nova is seen within the token's reuse time. An unreadable document keeps the configured one.
     */
    private void negotiate() {
        int configured = minorOf(configuredMicroversion);
        int served = configured;
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(computeUrl + "/"))
                    .timeout(timeout).header("X-Auth-Token", token.getId()).header("Accept", "application/json")
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                String max = JSON.readTree(r.body()).path("version").path("version").asText("");
                if (max.startsWith("2.")) {
                    served = minorOf(max);
                }
            }
        } catch (Exception e) {
            LOG.debugf("Nova's version document at %s could not be read (%s): using %s", computeUrl, e.getMessage(),
                    configuredMicroversion);
        }
        int use = Math.min(configured, served);
        if (use != usedMinor) {
            LOG.infof("Nova at %s serves compute microversions up to 2.%d: using 2.%d (configured %s)", computeUrl,
                    served, use, configuredMicroversion);
        }
        usedMinor = use;
        usedMicroversion = "2." + use;
    }

    private static int minorOf(String version) {
        try {
            return Integer.parseInt(version.substring(version.indexOf('.') + 1).strip());
        } catch (RuntimeException e) {
            return 1;
        }
    }

    /** The microversion used, after negotiating it with Nova. */
    private int minor() {
        tokenId();
        return usedMinor;
    }

    private String version() {
        tokenId();
        return usedMicroversion;
    }

    private synchronized String computeUrl() {
        tokenId();
        return computeUrl;
    }

    private synchronized void dropToken() {
        token = null;
    }

    /**
     * One HTTP exchange; a Nova fault ({@code {"<faultName>": {"code", "message"}}}, A.0) becomes the message. A 401
     * (the token expired or was revoked: Keystone restarted, its keys rotated) re-authenticates and makes the request
     * once more: Nova did not process it, so this is safe even for an evacuate, and it is never counted as a refusal.
     */
    private JsonNode send(String method, String path, JsonNode body, String version) throws Exception {
        HttpResponse<String> r = exchange(method, path, body, version);
        if (r.statusCode() == 401) {
            dropToken();
            r = exchange(method, path, body, version);
            calls.reauthenticated(method + " " + path);
            if (r.statusCode() == 401) {
                dropToken();
            }
        }
        if (r.statusCode() >= 400) {
            throw new CloudCallException(method + " " + path + " → " + r.statusCode() + ": " + faultMessage(r.body()),
                    r.statusCode(), null);
        }
        return r.body() == null || r.body().isBlank() ? null : JSON.readTree(r.body());
    }

    private HttpResponse<String> exchange(String method, String path, JsonNode body, String version)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(computeUrl() + path))
                .timeout(timeout)
                .header("X-Auth-Token", tokenId())
                .header("Accept", "application/json")
                .header("OpenStack-API-Version", "compute " + version);
        if (body != null) {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String faultMessage(String body) {
        try {
            JsonNode n = JSON.readTree(body);
            if (n != null && n.isObject() && n.size() == 1) {
                JsonNode fault = n.elements().next();
                if (fault.hasNonNull("message")) {
                    return fault.get("message").asText();
                }
            }
        } catch (Exception e) {
            // not JSON: fall through
        }
        return body == null || body.isBlank() ? "(no body)" : body.length() > 300 ? body.substring(0, 300) : body;
    }

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ os-services

    @Override
    public Optional<ComputeService> computeService(String host) {
        JsonNode root = calls.idempotent("list nova-compute services of " + host, () ->
                send("GET", "/os-services?binary=nova-compute&host=" + q(host), null, version()));
        for (JsonNode s : root.path("services")) {
            if (host.equals(s.path("host").asText())) {
                return Optional.of(service(s));
            }
        }
        return Optional.empty();
    }

    @Override
    public List<ComputeService> computeServices() {
        JsonNode root = calls.idempotent("list nova-compute services", () ->
                send("GET", "/os-services?binary=nova-compute", null, version()));
        List<ComputeService> out = new ArrayList<>();
        for (JsonNode s : root.path("services")) {
            out.add(service(s));
        }
        return out;
    }

    private static ComputeService service(JsonNode s) {
        Instant heartbeat;
        try {
            heartbeat = time(s.path("updated_at").asText(null));
        } catch (java.time.format.DateTimeParseException e) {
            heartbeat = null;   // an unreadable heartbeat is no heartbeat: never evidence either way
        }
        return new ComputeService(s.path("id").asText(), s.path("host").asText(), s.path("state").asText(null),
                s.path("status").asText(null), s.has("forced_down") ? s.get("forced_down").asBoolean() : null,
                s.hasNonNull("disabled_reason") ? s.get("disabled_reason").asText() : null, heartbeat);
    }

    @Override
    public ComputeService forceDown(String host, String reason) {
        if (minor() >= 53) {
            ComputeService s = computeService(host).orElseThrow(() ->
                    new CloudCallException("no nova-compute service on host " + host, 404, null));
            ObjectNode body = JSON.createObjectNode().put("forced_down", true).put("status", "disabled")
                    .put("disabled_reason", reason);
            try {
                JsonNode r = calls.idempotent("force down " + host + " (2.53)", () ->
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
        calls.idempotent("force down " + host + " (2.11)", () -> send("PUT", "/os-services/force-down", down, "2.11"));
        ObjectNode disable = JSON.createObjectNode().put("host", host).put("binary", "nova-compute")
                .put("disabled_reason", reason);
        calls.idempotent("disable " + host, () -> send("PUT", "/os-services/disable-log-reason", disable, "2.11"));
        return computeService(host).orElseThrow();
    }

    @Override
    public void enable(String host) {
        if (minor() >= 53) {
            ComputeService s = computeService(host).orElseThrow(() ->
                    new CloudCallException("no nova-compute service on host " + host, 404, null));
            ObjectNode body = JSON.createObjectNode().put("status", "enabled");
            calls.idempotent("enable " + host, () -> send("PUT", "/os-services/" + q(s.id()), body, version()));
            return;
        }
        ObjectNode body = JSON.createObjectNode().put("host", host).put("binary", "nova-compute");
        calls.idempotent("enable " + host, () -> send("PUT", "/os-services/enable", body, "2.11"));
    }

    @Override
    public ComputeService unfence(String host) {
        if (minor() >= 53) {
            ComputeService s = computeService(host).orElseThrow(() ->
                    new CloudCallException("no nova-compute service on host " + host, 404, null));
            ObjectNode body = JSON.createObjectNode().put("forced_down", false).put("status", "enabled");
            JsonNode r = calls.idempotent("unfence " + host + " (2.53)", () ->
                    send("PUT", "/os-services/" + q(s.id()), body, version()));
            return service(r.path("service"));
        }
        ObjectNode up = JSON.createObjectNode().put("host", host).put("binary", "nova-compute")
                .put("forced_down", false);
        calls.idempotent("unset forced_down of " + host + " (2.11)", () -> send("PUT", "/os-services/force-down", up,
                "2.11"));
        enable(host);
        return computeService(host).orElseThrow();
    }

    // ------------------------------------------------------------------ servers

    @Override
    public List<Server> serversOn(String host) {
        List<Server> out = new ArrayList<>();
        String marker = null;
        do {
            String path = "/servers/detail?all_tenants=1&host=" + q(host) + "&limit=" + PAGE
                    + (marker == null ? "" : "&marker=" + q(marker));
            JsonNode root = calls.idempotent("list servers on " + host, () -> send("GET", path, null, version()));
            JsonNode page = root.path("servers");
            marker = null;
            for (JsonNode s : page) {
                // The host filter is exact on Nova's side; checked again in case a proxy ignores it.
                if (host.equals(s.path("OS-EXT-SRV-ATTR:host").asText(null))) {
                    out.add(server(s));
                }
            }
            if (page.size() > 0 && hasNext(root.path("servers_links"))) {
                marker = page.get(page.size() - 1).path("id").asText();
            }
        } while (marker != null);
        return out;
    }

    @Override
    public Optional<Server> server(String id) {
        try {
            JsonNode r = calls.idempotent("read server " + id, () -> send("GET", "/servers/" + q(id), null,
                    version()));
            return Optional.of(server(r.path("server")));
        } catch (CloudCallException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private Server server(JsonNode s) {
        return new Server(s.path("id").asText(), s.path("name").asText(), s.path("OS-EXT-SRV-ATTR:host").asText(null),
                s.path("status").asText(), s.path("OS-EXT-STS:vm_state").asText(null),
                s.hasNonNull("OS-EXT-STS:task_state") ? s.get("OS-EXT-STS:task_state").asText() : null,
                strings(s.path("metadata")), texts(s.path("tags")), strings(s.path("flavor").path("extra_specs")),
                s.path("fault").hasNonNull("message") ? s.path("fault").get("message").asText() : null,
                flavor(s.path("flavor")));
    }

    /**
     * From 2.47 the server embeds its flavor ({@code vcpus}, {@code ram}, {@code original_name}); before, only the
     * flavor's {@code id}, read once from {@code /flavors/{id}} (a deleted flavor: unknown).
     */
    private NovaApi.Flavor flavor(JsonNode f) {
        if (f.has("vcpus") && f.has("ram")) {
            return new NovaApi.Flavor(f.path("original_name").asText(null), f.path("vcpus").asInt(-1),
                    f.path("ram").asInt(-1));
        }
        String id = f.path("id").asText(null);
        if (id == null) {
            return NovaApi.Flavor.UNKNOWN;
        }
        NovaApi.Flavor known = flavors.get(id);
        if (known != null) {
            return known;
        }
        try {
            JsonNode r = calls.idempotent("read flavor " + id, () -> send("GET", "/flavors/" + q(id), null,
                    version()));
            JsonNode fl = r.path("flavor");
            known = new NovaApi.Flavor(fl.path("name").asText(null), fl.path("vcpus").asInt(-1),
                    fl.path("ram").asInt(-1));
        } catch (CloudCallException e) {
            if (e.status() != 404) {
                return NovaApi.Flavor.UNKNOWN;   // asked again next time; never fails the listing it is part of
            }
            known = NovaApi.Flavor.UNKNOWN;   // deleted: its size is not known below 2.47
        }
        flavors.put(id, known);
        return known;
    }

    @Override
    public List<Server> servers() {
        List<Server> out = new ArrayList<>();
        String marker = null;
        do {
            String path = "/servers/detail?all_tenants=1&limit=" + PAGE + (marker == null ? "" : "&marker=" + q(marker));
            JsonNode root = calls.idempotent("list servers", () -> send("GET", path, null, version()));
            JsonNode page = root.path("servers");
            marker = null;
            for (JsonNode s : page) {
                out.add(server(s));
            }
            if (page.size() > 0 && hasNext(root.path("servers_links"))) {
                marker = page.get(page.size() - 1).path("id").asText();
            }
        } while (marker != null);
        return out;
    }

    @Override
    public List<Hypervisor> hypervisors() {
        // 2.88 removed the capacity fields: ask for 2.87 at the most (every Nova since Xena still serves it).
        String version = minor() >= 88 ? "2.87" : version();
        boolean paged = minor() >= 33;
        List<Hypervisor> out = new ArrayList<>();
        String marker = null;
        do {
            String path = "/os-hypervisors/detail" + (paged ? "?limit=" + HYPERVISOR_PAGE
                    + (marker == null ? "" : "&marker=" + q(marker)) : "");
            JsonNode root = calls.idempotent("list hypervisors", () -> send("GET", path, null, version));
            JsonNode page = root.path("hypervisors");
            marker = null;
            for (JsonNode h : page) {
                out.add(new Hypervisor(h.path("service").path("host").asText(null),
                        h.path("hypervisor_hostname").asText(null), h.path("state").asText(null),
                        h.path("status").asText(null), h.path("vcpus").asInt(0), h.path("vcpus_used").asInt(0),
                        h.path("memory_mb").asLong(0), h.path("memory_mb_used").asLong(0)));
            }
            if (paged && page.size() > 0 && hasNext(root.path("hypervisors_links"))) {
                marker = page.get(page.size() - 1).path("id").asText();
            }
        } while (marker != null);
        return out;
    }

    /** Whether a page's links name a next page (Nova gives one when its max_limit or the asked limit cut it). */
    private static boolean hasNext(JsonNode links) {
        for (JsonNode l : links) {
            if ("next".equals(l.path("rel").asText())) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, String> strings(JsonNode obj) {
        Map<String, String> m = new LinkedHashMap<>();
        obj.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        return m;
    }

    private static List<String> texts(JsonNode arr) {
        List<String> l = new ArrayList<>();
        arr.forEach(n -> l.add(n.asText()));
        return l;
    }

    private void action(String id, String what, JsonNode body, boolean retry) {
        if (retry) {
            calls.idempotent(what + " " + id, () -> send("POST", "/servers/" + q(id) + "/action", body, version()));
        } else {
            calls.once(what + " " + id, () -> send("POST", "/servers/" + q(id) + "/action", body, version()));
        }
    }

    @Override
    public void resetState(String id, String state) {
        action(id, "reset state of", JSON.createObjectNode().set("os-resetState",
                JSON.createObjectNode().put("state", state)), true);
    }

    @Override
    public void evacuate(String id, String targetHost) {
        // From 2.14 the body has no onSharedStorage (Nova detects it) and the answer is empty (wire-formats.md A.1).
        ObjectNode args = JSON.createObjectNode();
        if (targetHost != null) {
            args.put("host", targetHost);
        }
        if (minor() < 14) {
            args.put("onSharedStorage", false);
        }
        action(id, "evacuate", JSON.createObjectNode().set("evacuate", args), false);
    }

    @Override
    public void start(String id) {
        action(id, "start", JSON.createObjectNode().putNull("os-start"), false);
    }

    @Override
    public void stop(String id) {
        action(id, "stop", JSON.createObjectNode().putNull("os-stop"), false);
    }

    @Override
    public List<Migration> evacuations(String serverId) {
        JsonNode root = calls.idempotent("list migrations of " + serverId, () -> send("GET",
                "/os-migrations?migration_type=evacuation&instance_uuid=" + q(serverId), null, version()));
        List<Migration> out = new ArrayList<>();
        for (JsonNode m : root.path("migrations")) {
            out.add(new Migration(m.path("id").asText(), m.path("instance_uuid").asText(),
                    m.path("source_compute").asText(null), m.path("dest_compute").asText(null),
                    m.path("status").asText(null), time(m.path("created_at").asText(null))));
        }
        return out;
    }

    /** Nova writes times without a zone ({@code 2024-05-01T10:00:02.000000}), in UTC. */
    static Instant time(String t) {
        if (t == null || t.isBlank()) {
            return null;
        }
        if (t.endsWith("Z") || t.matches(".*[+-]\\d\\d:\\d\\d$")) {
            return java.time.OffsetDateTime.parse(t).toInstant();
        }
        return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
    }
}
