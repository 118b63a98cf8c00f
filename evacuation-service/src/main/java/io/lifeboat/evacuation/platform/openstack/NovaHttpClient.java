package io.lifeboat.evacuation.platform.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.evacuation.config.EvacuationConfig;
import io.lifeboat.cloud.CloudCallException;
import io.lifeboat.cloud.CloudCalls;
import io.lifeboat.cloud.openstack.KeystoneSession;
import io.lifeboat.cloud.openstack.MarkerPager;
import io.lifeboat.cloud.openstack.OpenStackHttp;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Nova through its REST API, on the shared Keystone session (token, catalog, negotiated microversion, a 401
 * authenticated again and made once more). The recovery calls are
 * made here because openstack4j cannot make them correctly (notes on openstack4j 3.12): its evacuate always sends
 * {@code onSharedStorage}, which Nova rejects from 2.14, and cannot read the empty 2.14+ answer; it has neither the
 * 2.53 force-down nor pagination of {@code servers/detail}.
 */
public final class NovaHttpClient implements NovaApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PAGE = 200;
    private static final int HYPERVISOR_PAGE = 500;

    private final KeystoneSession session;
    private final CatalogReads catalog;
    private final NovaServices services;

    /** Flavors by id, for servers listed below 2.47 (a flavor's size never changes: Nova copies it per instance). */
    private final Map<String, NovaApi.Flavor> flavors = new java.util.concurrent.ConcurrentHashMap<>();

    public NovaHttpClient(EvacuationConfig.Source config, CloudCalls calls, Clock clock) {
        this.session = new KeystoneSession(calls.sourceId(), config, config.callTimeout(), calls, clock);
        this.catalog = new CatalogReads(session);
        this.services = new NovaServices(session);
    }

    @Override
    public int microversion() {
        return minor();
    }

    /** The microversion used, negotiated with Nova at each session (the configured one or the highest it serves). */
    private int minor() {
        return session.microversionMinor();
    }

    private String version() {
        return session.microversion();
    }

    /** One exchange with Nova; a fault becomes a {@link CloudCallException} with its status and message. */
    private JsonNode send(String method, String path, JsonNode body, String version) {
        return session.send(method, session.computeUrl() + path, body, version);
    }

    private static String q(String s) {
        return OpenStackHttp.encode(s);
    }

    // ------------------------------------------------------------------ os-services ({@link NovaServices})

    @Override
    public Optional<ComputeService> computeService(String host) {
        return services.computeService(host);
    }

    @Override
    public List<ComputeService> computeServices() {
        return services.computeServices();
    }

    @Override
    public ComputeService forceDown(ComputeService service, String reason) {
        return services.forceDown(service, reason);
    }

    @Override
    public void enable(String host) {
        services.enable(host);
    }

    @Override
    public ComputeService unfence(String host) {
        return services.unfence(host);
    }

    // ------------------------------------------------------------------ servers

    @Override
    public List<Server> serversOn(String host) {
        List<Server> out = new ArrayList<>();
        for (JsonNode s : serverPages("list servers on " + host, "&host=" + q(host))) {
            // The host filter is exact on Nova's side; checked again in case a proxy ignores it.
            if (host.equals(s.path("OS-EXT-SRV-ATTR:host").asText(null))) {
                out.add(server(s));
            }
        }
        return out;
    }

    /** Every server (all tenants) matching the filter, page by page. */
    private List<JsonNode> serverPages(String what, String filter) {
        return MarkerPager.all(what, marker -> MarkerPager.page(session.idempotent(what, () -> send("GET",
                "/servers/detail?all_tenants=1" + filter + "&limit=" + PAGE + (marker == null ? "" : "&marker="
                        + q(marker)), null, version())), "servers"), s -> s.path("id").asText(null));
    }

    @Override
    public Optional<Server> server(String id) {
        try {
            JsonNode r = session.idempotent("read server " + id, () -> send("GET", "/servers/" + q(id), null,
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
                flavor(s.path("flavor")), s.path("image").isObject() ? s.path("image").path("id").asText(null) : null);
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
            JsonNode r = session.idempotent("read flavor " + id, () -> send("GET", "/flavors/" + q(id), null,
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
        return serverPages("list servers", "").stream().map(this::server).toList();
    }

    @Override
    public List<Hypervisor> hypervisors() {
        // 2.88 removed the capacity fields: ask for 2.87 at the most (every Nova since Xena still serves it).
        String version = minor() >= 88 ? "2.87" : version();
        boolean paged = minor() >= 33;
        List<JsonNode> all = MarkerPager.all("list hypervisors", marker -> {
            String path = "/os-hypervisors/detail" + (paged ? "?limit=" + HYPERVISOR_PAGE
                    + (marker == null ? "" : "&marker=" + q(marker)) : "");
            MarkerPager.Page<JsonNode> page = MarkerPager.page(session.idempotent("list hypervisors", () ->
                    send("GET", path, null, version)), "hypervisors");
            return paged ? page : new MarkerPager.Page<>(page.items(), false);
        }, h -> h.path("id").asText(null));
        List<Hypervisor> out = new ArrayList<>();
        for (JsonNode h : all) {
            out.add(new Hypervisor(h.path("service").path("host").asText(null),
                    h.path("hypervisor_hostname").asText(null), h.path("state").asText(null),
                    h.path("status").asText(null), h.path("vcpus").asInt(0), h.path("vcpus_used").asInt(0),
                    h.path("memory_mb").asLong(0), h.path("memory_mb_used").asLong(0)));
        }
        return out;
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
            session.idempotent(what + " " + id, () -> send("POST", "/servers/" + q(id) + "/action", body, version()));
        } else {
            session.once(what + " " + id, () -> send("POST", "/servers/" + q(id) + "/action", body, version()));
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
        JsonNode root = session.idempotent("list migrations of " + serverId, () -> send("GET",
                "/os-migrations?migration_type=evacuation&instance_uuid=" + q(serverId), null, version()));
        List<Migration> out = new ArrayList<>();
        for (JsonNode m : root.path("migrations")) {
            out.add(new Migration(m.path("id").asText(), m.path("instance_uuid").asText(),
                    m.path("source_compute").asText(null), m.path("dest_compute").asText(null),
                    m.path("status").asText(null), time(m.path("created_at").asText(null))));
        }
        return out;
    }

    @Override
    public Map<String, Map<String, String>> imageProperties() {
        return catalog.imageProperties();
    }

    @Override
    public Map<String, Map<String, String>> flavorExtraSpecs() {
        return catalog.flavorExtraSpecs();
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
