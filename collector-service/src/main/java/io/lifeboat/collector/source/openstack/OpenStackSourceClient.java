package io.lifeboat.collector.source.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.collector.config.CollectorConfig;
import io.lifeboat.collector.source.CloudCalls;
import io.lifeboat.collector.source.Items;
import io.lifeboat.collector.source.SignalBatch;
import io.lifeboat.collector.source.SourceClient;
import io.lifeboat.collector.source.SourceSnapshot;
import io.lifeboat.collector.source.Tls;
import io.lifeboat.common.change.SignalSource;
import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.id.SourceId;
import io.lifeboat.common.id.SourceKind;
import io.lifeboat.common.inventory.ClusterRef;
import io.lifeboat.common.inventory.ComputeService;
import io.lifeboat.common.inventory.HostState;
import io.lifeboat.common.inventory.HostStatus;
import io.lifeboat.common.inventory.VmState;
import org.jboss.logging.Logger;
import org.openstack4j.api.OSClient.OSClientV3;
import org.openstack4j.api.exceptions.AuthenticationException;
import org.openstack4j.api.types.Facing;
import org.openstack4j.core.transport.Config;
import org.openstack4j.model.common.Identifier;
import org.openstack4j.model.compute.ext.Hypervisor;
import org.openstack4j.model.compute.ext.Service;
import org.openstack4j.model.identity.v3.Endpoint;
import org.openstack4j.model.identity.v3.Token;
import org.openstack4j.model.image.v2.Image;
import org.openstack4j.model.storage.block.Volume;
import org.openstack4j.openstack.OSFactory;
import org.openstack4j.openstack.image.v2.domain.GlanceImage;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An OpenStack region through openstack4j (Keystone, os-services, hypervisors, Cinder, Glance) plus a thin reader of
 * Nova's {@code servers/detail} at the configured microversion. That reader exists because openstack4j never follows
 * pagination (a plain {@code list()} stops at Nova's max_limit of 1,000), drops {@code tags} and
 * {@code host_status}, and cannot read the flavor embedded from 2.47, the only way to avoid one flavor call per
 * server (toolchain.md, openstack4j pitfalls). Fast signals: {@code os-services} states and
 * {@code servers/detail?changes-since=}.
 */
public final class OpenStackSourceClient implements SourceClient {

    private static final Logger LOG = Logger.getLogger(OpenStackSourceClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TOKEN_REUSE = Duration.ofMinutes(30);
    /** Clock skew allowed between us and Nova when asking for servers changed since the last poll. */
    private static final Duration CHANGES_SKEW = Duration.ofSeconds(5);

    private final SourceId source;
    private final CollectorConfig.Source config;
    private final String password;
    private final CloudCalls calls;
    private final Clock clock;
    private final HttpClient http;
    private final Config os4jConfig;
    private Token token;
    private Instant tokenAt;
    private final Map<String, NovaServerMapping.VolumeInfo> volumes = new HashMap<>();
    private final Map<String, Map<String, String>> imageProperties = new HashMap<>();
    private final Map<String, String> hypervisorHostnames = new HashMap<>();
    /** Each service host's hypervisor {@code host_ip}: the host's management address. */
    private final Map<String, String> hypervisorAddresses = new HashMap<>();

    public OpenStackSourceClient(SourceId source, CollectorConfig.Source config, String password, CloudCalls calls,
                                 Clock clock) {
        this.source = source;
        this.config = config;
        this.password = password;
        this.calls = calls;
        this.clock = clock;
        int timeoutMs = (int) config.callTimeout().toMillis();
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(Math.min(timeoutMs, 15_000)))
                .sslContext(Tls.context(config)).build();
        if (config.trustStore().isPresent() || config.insecure()) {
            // openstack4j's OkHttp connector applies an SSL context with the one-argument sslSocketFactory(), which
            // throws on Java 9+: it can only use the JVM's trust store.
            throw new IllegalArgumentException("trust-store and insecure are not supported for OpenStack sources"
                    + " (openstack4j's OkHttp connector cannot take its own TLS context on Java 9+): add the CA to the"
                    + " JVM trust store instead (-Djavax.net.ssl.trustStore=... in JAVA_TOOL_OPTIONS)");
        }
        this.os4jConfig = Config.newConfig().withConnectionTimeout(Math.min(timeoutMs, 15_000))
                .withReadTimeout(timeoutMs);
    }

    // ------------------------------------------------------------------ session

    /** An openstack4j client for this thread (its sessions are thread-local), authenticated when needed. */
    private OSClientV3 os() {
        if (token == null || tokenAt.plus(TOKEN_REUSE).isBefore(clock.instant())) {
            OSClientV3 fresh = calls.call("authenticate with Keystone", () -> OSFactory.builderV3()
                    .endpoint(config.url().replaceAll("/+$", ""))
                    .credentials(config.username(), password, Identifier.byName(config.userDomain()))
                    .scopeToProject(Identifier.byName(config.project()), Identifier.byName(config.projectDomain()))
                    .perspective(facing())
                    .withConfig(os4jConfig)
                    .authenticate());
            token = fresh.getToken();
            tokenAt = clock.instant();
        }
        OSClientV3 client = OSFactory.clientFromToken(token, facing(), os4jConfig);
        client.headers(Map.of("OpenStack-API-Version", "compute " + config.computeMicroversion()));
        return client;
    }

    private Facing facing() {
        return Facing.value(config.endpointInterface());
    }

    private String computeUrl() {
        os();
        for (org.openstack4j.model.identity.v3.Service s : token.getCatalog()) {
            if ("compute".equals(s.getType())) {
                for (Endpoint e : s.getEndpoints()) {
                    if (e.getIface() == facing()) {
                        return e.getUrl().toString().replaceAll("/+$", "");
                    }
                }
            }
        }
        throw new CloudCalls.NotRetryable("the Keystone catalog of " + source + " has no " + config.endpointInterface()
                + " compute endpoint", null);
    }

    private <T> T withSession(String what, java.util.concurrent.Callable<T> call) {
        try {
            return calls.call(what, call);
        } catch (RuntimeException e) {
            if (e.getCause() instanceof AuthenticationException) {
                token = null;   // expired or revoked: the next call authenticates again
            }
            throw e;
        }
    }

    // ------------------------------------------------------------------ inventory

    @Override
    public SourceSnapshot readInventory() {
        Instant at = clock.instant();
        List<String> errors = new ArrayList<>();
        List<HostState> hosts = new ArrayList<>();
        List<VmState> vms = new ArrayList<>();
        boolean hostsOk = false;
        boolean vmsOk = false;
        try {
            List<? extends Hypervisor> hvs = withSession("list hypervisors", () -> os().compute().hypervisors()
                    .list());
            hypervisorHostnames.clear();
            hypervisorAddresses.clear();
            hvs.forEach(h -> {
                if (h.getService() != null) {
                    hypervisorHostnames.put(h.getService().getHost(), h.getHypervisorHostname());
                    if (h.getHostIP() != null && !h.getHostIP().isBlank()) {
                        hypervisorAddresses.put(h.getService().getHost(), h.getHostIP());
                    }
                }
            });
        } catch (RuntimeException e) {
            errors.add(e.getMessage());
        }
        Items items = new Items(source);
        try {
            hosts.addAll(readHosts(at, items));
            hostsOk = items.allKeyed("service");
        } catch (RuntimeException e) {
            errors.add(e.getMessage());
        }
        boolean volumesOk = false;
        boolean imagesOk = false;
        try {
            readVolumes();
            volumesOk = true;
        } catch (RuntimeException e) {
            errors.add(e.getMessage());
        }
        try {
            readImages();
            imagesOk = true;
        } catch (RuntimeException e) {
            errors.add(e.getMessage());
        }
        try {
            List<JsonNode> servers = readServers(Map.of());
            if (volumesOk) {
                attachedVolumesListed(servers, errors);   // reads the few missing ones, reports the rest
            }
            int undescribed = 0;
            for (JsonNode s : servers) {
                String serverId = s.path("id").isTextual() ? s.path("id").asText() : null;
                // A server whose volumes or image could not be read is left out of this cycle, so its last known
                // state stands: publishing it would announce disks without their LUNs, or a watchdog gone.
                if (!fullyDescribed(s, imagesOk)) {
                    items.skip("server", serverId, "its volumes or image could not be read");
                    undescribed++;
                    continue;
                }
                items.read("server", serverId, () -> NovaServerMapping.vm(source, s, volumes, imageProperties,
                        config.reclaimInterval().orElse(null), at), vms::add);
            }
            if (undescribed > 0) {
                errors.add(undescribed + " server(s) left unchanged this cycle: their volumes or image could not be"
                        + " read");
            }
            // Removals stay safe without the volume or image lists: a server is only removed when Nova no longer
            // lists it, and every listed server that could not be described is standing.
            vmsOk = items.allKeyed("server");
        } catch (RuntimeException e) {
            errors.add(e.getMessage());
        }
        return new SourceSnapshot(hosts, hostsOk, vms, vmsOk, List.of(), true, errors, items.skipped());
    }

    private List<HostState> readHosts(Instant at, Items items) {
        List<? extends Service> services = withSession("list compute services", () -> os().compute().services()
                .list(Map.of("binary", "nova-compute")));
        List<HostState> hosts = new ArrayList<>();
        for (Service s : services) {
            items.read("service", s.getHost(), () -> NovaServiceMapping.host(source, s, hypervisorHostnames, hypervisorAddresses, at),
                    hosts::add);
        }
        return hosts;
    }

    private void readVolumes() {
        Map<String, NovaServerMapping.VolumeInfo> read = new HashMap<>();
        String marker = null;
        while (true) {
            Map<String, String> q = new HashMap<>(Map.of("all_tenants", "1", "limit",
                    Integer.toString(config.pageSize())));
            if (marker != null) {
                q.put("marker", marker);
            }
            List<? extends Volume> page = withSession("list volumes", () -> os().blockStorage().volumes().list(q));
            for (Volume v : page) {
                Map<String, String> md = v.getMetaData() == null ? Map.of() : v.getMetaData();
                read.put(v.getId(), new NovaServerMapping.VolumeInfo(v.getId(), v.getName(), v.getSize(),
                        md.get("volume_wwn")));
            }
            if (page.size() < config.pageSize()) {
                break;
            }
            marker = page.get(page.size() - 1).getId();
        }
        volumes.clear();
        volumes.putAll(read);
    }

    private void readImages() {
        Map<String, Map<String, String>> read = new HashMap<>();
        String marker = null;
        while (true) {
            Map<String, String> q = new HashMap<>(Map.of("limit", Integer.toString(config.pageSize())));
            if (marker != null) {
                q.put("marker", marker);
            }
            List<? extends Image> page = withSession("list images", () -> os().imagesV2().list(q));
            for (Image i : page) {
                Map<String, String> props = i instanceof GlanceImage g && g.getAdditionalProperties() != null
                        ? new LinkedHashMap<>(g.getAdditionalProperties()) : Map.of();
                read.put(i.getId(), props);
            }
            if (page.size() < config.pageSize()) {
                break;
            }
            marker = page.get(page.size() - 1).getId();
        }
        imageProperties.clear();
        imageProperties.putAll(read);
    }

    /** Every server (all tenants), page by page with limit and marker. */
    private List<JsonNode> readServers(Map<String, String> filters) {
        String base = computeUrl() + "/servers/detail";
        List<JsonNode> out = new ArrayList<>();
        String marker = null;
        while (true) {
            Map<String, String> q = new LinkedHashMap<>(filters);
            q.put("all_tenants", "1");
            q.put("limit", Integer.toString(config.pageSize()));
            if (marker != null) {
                q.put("marker", marker);
            }
            String url = base + "?" + query(q);
            JsonNode page = withSession("list servers", () -> getJson(url));
            JsonNode servers = page.path("servers");
            servers.forEach(out::add);
            boolean more = page.path("servers_links").isArray() && !page.path("servers_links").isEmpty();
            if (!more || servers.isEmpty()) {
                break;
            }
            marker = servers.get(servers.size() - 1).path("id").asText();
        }
        return out;
    }

    private JsonNode getJson(String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(config.callTimeout())
                .header("X-Auth-Token", token.getId())
                .header("OpenStack-API-Version", "compute " + config.computeMicroversion())
                .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 401) {
            token = null;
            throw new IllegalStateException("401 from Nova: token rejected");
        }
        if (r.statusCode() != 200) {
            String message = r.body();
            try {
                JsonNode err = JSON.readTree(r.body());
                message = err.elements().hasNext() ? err.elements().next().path("message").asText(r.body()) : r.body();
            } catch (Exception ignored) {
                // not JSON: keep the body
            }
            throw new IllegalStateException("HTTP " + r.statusCode() + " from Nova: " + message);
        }
        return JSON.readTree(r.body());
    }

    private static String query(Map<String, String> q) {
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

    // ------------------------------------------------------------------ fast signals

    /**
     * Nova sends no notification when a compute host silently stops heart-beating (wire-formats.md B.2): poll
     * {@code os-services} for host state, and {@code servers/detail?changes-since=} for servers saved since the last
     * poll (a guest paused by a storage error shows there with power_state 3).
     */
    @Override
    public SignalBatch readSignals(String cursor, Map<String, HostState> knownHosts, Map<String, VmState> knownVms) {
        Instant now = clock.instant();
        Items items = new Items(source);
        List<HostState> hosts = new ArrayList<>();
        for (HostState h : readHosts(now, items)) {
            HostState known = knownHosts.get(h.host().toString());
            // Keep what only the full cycle reads (the hypervisor name), so that only real changes differ.
            hosts.add(known == null || h.hypervisorHostname() != null ? h : withHypervisor(h,
                    known.hypervisorHostname()));
        }
        List<VmState> vms = new ArrayList<>();
        if (cursor != null) {
            Instant since = Instant.parse(cursor).minus(CHANGES_SKEW);
            Map<String, JsonNode> changed = new LinkedHashMap<>();
            for (JsonNode s : readServers(Map.of("changes-since", DateTimeFormatter.ISO_INSTANT.format(since)))) {
                changed.put(s.path("id").asText(), s);
            }
            // Servers that could not be described at an earlier poll: read again, one by one.
            for (String id : List.copyOf(pendingServers.keySet())) {
                if (!changed.containsKey(id)) {
                    try {
                        JsonNode one = withSession("read server " + id, () -> getJson(computeUrl() + "/servers/"
                                + URLEncoder.encode(id, StandardCharsets.UTF_8))).path("server");
                        if (one.isObject()) {
                            changed.put(id, one);
                        }
                    } catch (RuntimeException e) {
                        retryServerLater(id, items, e.getMessage());
                    }
                }
            }
            for (Map.Entry<String, JsonNode> e : changed.entrySet()) {
                JsonNode s = e.getValue();
                ensureVolumes(s);
                // The full cycle's rule: a server whose new volume could not be read is not published (its disk would
                // go out without its LUN, and the LUN's history would close); it is tried again at the next poll.
                if (!fullyDescribed(s, true)) {
                    retryServerLater(e.getKey(), items, "its volumes could not be read");
                    continue;
                }
                pendingServers.remove(e.getKey());
                items.read("server", e.getKey(), () -> NovaServerMapping.vm(source, s, volumes, imageProperties,
                        config.reclaimInterval().orElse(null), now), vms::add);
            }
        }
        return new SignalBatch(SignalSource.SERVICE_POLL, SignalSource.CHANGES_POLL, hosts, vms, now.toString(),
                items.skipped());
    }

    private static final int SIGNAL_RETRIES = 3;
    private final Map<String, Integer> pendingServers = new LinkedHashMap<>();

    private void retryServerLater(String id, Items items, String reason) {
        int tries = pendingServers.getOrDefault(id, 0) + 1;
        if (tries >= SIGNAL_RETRIES) {
            pendingServers.remove(id);
            items.skip("server", id, reason + " (" + tries + " polls); the next full cycle reads it");
        } else {
            pendingServers.put(id, tries);
        }
    }

    /**
     * Cross-checks Cinder against Nova: every volume a server has attached must have been listed. openstack4j turns a
     * 404 into an empty list (a wrong project in the Cinder URL looks like "no volumes"), so silence is not trusted:
     * a few missing volumes are read one by one; if any stay missing the VMs are reported incomplete, never published
     * as disks without their LUNs.
     */
    private boolean attachedVolumesListed(List<JsonNode> servers, List<String> errors) {
        List<String> missing = new ArrayList<>();
        for (JsonNode s : servers) {
            for (JsonNode va : s.path("os-extended-volumes:volumes_attached")) {
                String id = va.path("id").asText();
                if (!volumes.containsKey(id)) {
                    missing.add(id);
                }
            }
        }
        if (missing.isEmpty()) {
            return true;
        }
        if (missing.size() <= 50) {
            for (JsonNode s : servers) {
                ensureVolumes(s);
            }
            missing.removeIf(volumes::containsKey);
        }
        if (!missing.isEmpty()) {
            errors.add("Cinder did not list " + missing.size() + " volume(s) attached to servers (first: "
                    + missing.get(0) + "): check the volume endpoint and the project's rights");
            return false;
        }
        return true;
    }

    private boolean fullyDescribed(JsonNode server, boolean imagesOk) {
        for (JsonNode va : server.path("os-extended-volumes:volumes_attached")) {
            if (!volumes.containsKey(va.path("id").asText())) {
                return false;
            }
        }
        String image = server.path("image").isObject() ? server.path("image").path("id").asText(null) : null;
        // With the image list read completely, an image missing from it was deleted: the server has no image properties.
        return image == null || imagesOk || imageProperties.containsKey(image);
    }

    /** A volume attached since the last cycle: read it alone rather than leave the disk without its LUN. */
    private void ensureVolumes(JsonNode server) {
        for (JsonNode va : server.path("os-extended-volumes:volumes_attached")) {
            String id = va.path("id").asText();
            if (!volumes.containsKey(id)) {
                try {
                    Volume v = withSession("read volume " + id, () -> os().blockStorage().volumes().get(id));
                    if (v != null) {
                        Map<String, String> md = v.getMetaData() == null ? Map.of() : v.getMetaData();
                        volumes.put(id, new NovaServerMapping.VolumeInfo(id, v.getName(), v.getSize(),
                                md.get("volume_wwn")));
                    }
                } catch (RuntimeException e) {
                    LOG.debugf("source %s: volume %s: %s", source, id, e.getMessage());
                }
            }
        }
    }

    private static HostState withHypervisor(HostState h, String hypervisor) {
        return new HostState(h.host(), h.platform(), h.name(), h.cluster(), h.status(), h.platformStatus(),
                h.statusDetail(), h.address(), hypervisor, h.powerManagementEnabled(), h.computeService(),
                h.observedAt());
    }

    @Override
    public String startCursor() {
        return clock.instant().toString();
    }

    @Override
    public long apiCalls() {
        return calls.count();
    }

    @Override
    public void close() {
        token = null;
    }
}
