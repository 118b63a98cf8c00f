package io.lifeboat.collector.source.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.collector.config.CollectorConfig;
import io.lifeboat.collector.source.Items;
import io.lifeboat.collector.source.SignalBatch;
import io.lifeboat.collector.source.SourceClient;
import io.lifeboat.collector.source.SourceSnapshot;
import io.lifeboat.cloud.CloudCalls;
import io.lifeboat.cloud.openstack.KeystoneSession;
import io.lifeboat.cloud.openstack.MarkerPager;
import io.lifeboat.cloud.openstack.OpenStackHttp;
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
import org.openstack4j.model.compute.ext.Hypervisor;
import org.openstack4j.model.compute.ext.Service;
import org.openstack4j.model.image.v2.Image;
import org.openstack4j.model.storage.block.Volume;
import org.openstack4j.openstack.image.v2.domain.GlanceImage;

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
    /** Clock skew allowed between us and Nova when asking for servers changed since the last poll. */
    private static final Duration CHANGES_SKEW = Duration.ofSeconds(5);

    private final SourceId source;
    private final CollectorConfig.Source config;
    private final CloudCalls calls;
    private final KeystoneSession session;
    private final Clock clock;
    private final Map<String, NovaServerMapping.VolumeInfo> volumes = new HashMap<>();
    private final Map<String, Map<String, String>> imageProperties = new HashMap<>();
    private final Map<String, String> hypervisorHostnames = new HashMap<>();
    /** Each service host's hypervisor {@code host_ip}: the host's management address. */
    private final Map<String, String> hypervisorAddresses = new HashMap<>();

    public OpenStackSourceClient(SourceId source, CollectorConfig.Source config, CloudCalls calls, Clock clock) {
        this.source = source;
        this.config = config;
        this.calls = calls;
        this.clock = clock;
        this.session = new KeystoneSession(source.toString(), config, config.callTimeout(), calls, clock);
    }

    /** A call with the session's token: retried while the cloud does not answer; a 401 authenticates again, once. */
    private <T> T withSession(String what, java.util.concurrent.Callable<T> call) {
        return session.idempotent(what, call);
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
            List<? extends Hypervisor> hvs = withSession("list hypervisors", () -> session.client().compute().hypervisors()
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
        List<? extends Service> services = withSession("list compute services", () -> session.client().compute().services()
                .list(Map.of("binary", "nova-compute")));
        List<HostState> hosts = new ArrayList<>();
        for (Service s : services) {
            items.read("service", s.getHost(), () -> NovaServiceMapping.host(source, s, hypervisorHostnames, hypervisorAddresses, at),
                    hosts::add);
        }
        return hosts;
    }

    private void readVolumes() {
        int limit = config.pageSize();
        List<? extends Volume> all = MarkerPager.all("list volumes", marker -> MarkerPager.full(
                withSession("list volumes", () -> session.client().blockStorage().volumes().list(
                        page(Map.of("all_tenants", "1"), limit, marker))), limit), Volume::getId);
        Map<String, NovaServerMapping.VolumeInfo> read = new HashMap<>();
        for (Volume v : all) {
            Map<String, String> md = v.getMetaData() == null ? Map.of() : v.getMetaData();
            read.put(v.getId(), new NovaServerMapping.VolumeInfo(v.getId(), v.getName(), v.getSize(),
                    md.get("volume_wwn")));
        }
        volumes.clear();
        volumes.putAll(read);
    }

    private void readImages() {
        int limit = config.pageSize();
        List<? extends Image> all = MarkerPager.all("list images", marker -> MarkerPager.full(
                withSession("list images", () -> session.client().imagesV2().list(page(Map.of(), limit, marker))),
                limit), Image::getId);
        Map<String, Map<String, String>> read = new HashMap<>();
        for (Image i : all) {
            Map<String, String> props = i instanceof GlanceImage g && g.getAdditionalProperties() != null
                    ? new LinkedHashMap<>(g.getAdditionalProperties()) : Map.of();
            read.put(i.getId(), props);
        }
        imageProperties.clear();
        imageProperties.putAll(read);
    }

    private static Map<String, String> page(Map<String, String> filters, int limit, String marker) {
        Map<String, String> q = new LinkedHashMap<>(filters);
        q.put("limit", Integer.toString(limit));
        if (marker != null) {
            q.put("marker", marker);
        }
        return q;
    }

    /** Every server (all tenants), page by page with limit and marker. */
    private List<JsonNode> readServers(Map<String, String> filters) {
        Map<String, String> base = new LinkedHashMap<>(filters);
        base.put("all_tenants", "1");
        return MarkerPager.all("list servers", marker -> MarkerPager.page(withSession("list servers", () ->
                getJson("/servers/detail?" + OpenStackHttp.query(page(base, config.pageSize(), marker)))),
                "servers"), s -> s.path("id").asText(null));
    }

    /** A GET of Nova at the negotiated microversion. */
    private JsonNode getJson(String path) {
        return session.send("GET", session.computeUrl() + path, null, session.microversion());
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
                        JsonNode one = withSession("read server " + id, () -> getJson("/servers/"
                                + OpenStackHttp.encode(id))).path("server");
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
                    Volume v = withSession("read volume " + id, () -> session.client().blockStorage().volumes().get(id));
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
        session.invalidate();
    }
}
