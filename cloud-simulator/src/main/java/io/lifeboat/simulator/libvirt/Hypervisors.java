package io.lifeboat.simulator.libvirt;

import io.lifeboat.simulator.openstack.NovaServer;
import io.lifeboat.simulator.openstack.NovaService;
import io.lifeboat.simulator.openstack.OpenStackRegion;
import io.lifeboat.simulator.ovirt.OvHost;
import io.lifeboat.simulator.ovirt.OvVm;
import io.lifeboat.simulator.ovirt.OvirtEngine;
import io.lifeboat.simulator.world.SimulatedFault;
import io.lifeboat.simulator.world.Simulation;
import io.lifeboat.simulator.world.SimulatorConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The libvirt side of the simulated hypervisors. A guest fault (watchdog expiry, kernel panic, storage I/O error)
 * produces the lines {@code LC_ALL=C virsh event --all --loop --timestamp} prints for it (wire-formats.md E.2, E.4),
 * and each hypervisor's domains can be listed as {@code <uuid> <name> <state>}. With a sink configured, both are
 * pushed as the documented agent pipe would push them; they can always be read through the control API.
 */
@ApplicationScoped
public class Hypervisors {

    private static final Logger LOG = Logger.getLogger(Hypervisors.class);
    private static final DateTimeFormatter VIRSH = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC);
    private static final int KEEP = 1000;

    @Inject
    Simulation simulation;

    @Inject
    SimulatorConfig config;

    private final Map<String, List<String>> lines = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A guest on a hypervisor: its domain UUID and name, and the host key the agent reports with. */
    public record Guest(String source, String hypervisor, String hostId, String uuid, String domainName) {
    }

    public enum Fault { WATCHDOG, PANIC, IO_ERROR }

    /** Emits the events of a guest fault; returns the lines. */
    public List<String> fault(String source, String vm, Fault fault, String action) {
        Guest g = guest(source, vm);
        Instant t = Instant.now();
        String d = g.domainName();
        List<String> out = new ArrayList<>();
        switch (fault) {
            case WATCHDOG -> {
                String a = action == null ? "reset" : action.toLowerCase(Locale.ROOT);
                if (!List.of("none", "pause", "reset", "poweroff", "shutdown", "debug", "inject-nmi").contains(a)) {
                    throw SimulatedFault.badRequest("unknown watchdog action '" + action + "'");
                }
                out.add(line(t, "watchdog", d, a));
                // What QEMU/libvirt do next (wire-formats.md E.4).
                switch (a) {
                    case "pause" -> out.add(line(t.plusMillis(1), "lifecycle", d, "Suspended Watchdog"));
                    case "reset" -> out.add(line(t.plusMillis(1), "reboot", d, null));
                    case "poweroff" -> out.add(line(t.plusMillis(2), "lifecycle", d, "Stopped Failed"));
                    default -> { }
                }
            }
            case PANIC -> out.add(line(t, "lifecycle", d, "Crashed Panicked"));
            case IO_ERROR -> {
                out.add(line(t, "io-error", d, "/dev/dm-3 (virtio-disk1) pause"));
                out.add(line(t, "io-error", d, "/dev/dm-3 (virtio-disk1) pause due to eio"));
                out.add(line(t.plusMillis(1), "lifecycle", d, "Suspended I/O Error"));
            }
        }
        List<String> log = lines.computeIfAbsent(g.source() + "/" + g.hypervisor(), k -> new ArrayList<>());
        synchronized (log) {
            log.addAll(out);
            if (log.size() > KEEP) {
                log.subList(0, log.size() - KEEP).clear();
            }
        }
        config.libvirt().sinkUrl().ifPresent(sink -> push("POST", sink + "/api/v1/events/virsh?hypervisor="
                + enc(g.hypervisor()) + "&host=" + enc(g.source() + "/" + g.hostId()), String.join("\n", out)));
        return out;
    }

    /** The lines emitted so far on a hypervisor, oldest first. */
    public List<String> events(String source, String hypervisor) {
        List<String> log = lines.getOrDefault(source + "/" + hypervisor, List.of());
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    /**
     * The hypervisor's domains as {@code <uuid> <name> <state>}: Nova keeps a soft-deleted server's domain (shut off)
     * until it is reclaimed, and a reclaim that failed leaves its domain behind.
     */
    public List<String> domains(String source, String hypervisor) {
        List<String> out = new ArrayList<>();
        var ovirt = simulation.ovirt(source);
        if (ovirt.isPresent()) {
            OvirtEngine e = ovirt.get();
            OvHost h = e.hosts().stream().filter(x -> x.name.equals(hypervisor)).findFirst().orElseThrow(() ->
                    SimulatedFault.notFound("no host " + hypervisor + " in " + source));
            for (OvVm vm : e.vms()) {
                if (h.id.equals(e.truthHostOf(vm))) {
                    out.add(vm.id + " " + vm.name + " " + ("paused".equals(vm.status) ? "paused" : "running"));
                }
            }
            return out;
        }
        OpenStackRegion r = simulation.openstack(source).orElseThrow(() ->
                SimulatedFault.notFound("no source " + source));
        r.service(hypervisor).orElseThrow(() -> SimulatedFault.notFound("no compute host " + hypervisor));
        for (NovaServer s : r.serversOn(hypervisor)) {
            if (!s.deleted) {
                out.add(s.id + " " + s.instanceName + " " + (s.running ? "running" : "shut-off"));
            }
        }
        for (OpenStackRegion.LeftoverDomain d : r.leftoverDomains()) {
            if (d.host().equals(hypervisor)) {
                out.add(d.serverId() + " " + d.instanceName() + " shut-off");
            }
        }
        return out;
    }

    private java.util.concurrent.ScheduledExecutorService timer;

    void onStart(@Observes StartupEvent e) {
        if (config.libvirt().sinkUrl().isPresent()) {
            timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "simulated-libvirt-agents");
                t.setDaemon(true);
                return t;
            });
            long every = config.libvirt().listingInterval().toMillis();
            timer.scheduleWithFixedDelay(() -> {
                try {
                    pushListings();
                } catch (RuntimeException ex) {
                    LOG.debugf("domain listings: %s", ex.getMessage());
                }
            }, Math.min(every, 10_000), every, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    void onStop(@Observes ShutdownEvent e) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /** Each hypervisor's agent pushes its listing (when a sink is configured). */
    void pushListings() {
        if (config.libvirt().sinkUrl().isEmpty()) {
            return;
        }
        String sink = config.libvirt().sinkUrl().get();
        for (OvirtEngine e : simulation.topology().ovirt()) {
            for (OvHost h : e.hosts()) {
                if (h.poweredOn) {
                    push("PUT", sink + "/api/v1/hypervisors/" + enc(h.name) + "/domains",
                            String.join("\n", domains(e.sourceId, h.name)));
                }
            }
        }
        for (OpenStackRegion r : simulation.topology().openstack()) {
            for (NovaService s : r.services()) {
                if (s.poweredOn) {
                    push("PUT", sink + "/api/v1/hypervisors/" + enc(s.host) + "/domains",
                            String.join("\n", domains(r.sourceId, s.host)));
                }
            }
        }
    }

    private Guest guest(String source, String vm) {
        var ovirt = simulation.ovirt(source);
        if (ovirt.isPresent()) {
            OvirtEngine e = ovirt.get();
            OvVm v = e.vms().stream().filter(x -> x.id.equals(vm) || x.name.equals(vm)).findFirst().orElseThrow(() ->
                    SimulatedFault.notFound("no VM " + vm + " in " + source));
            String hostId = e.truthHostOf(v);
            if (hostId == null) {
                throw SimulatedFault.conflict("VM " + v.name + " is not running: it has no domain to fail");
            }
            String hostName = e.host(hostId).map(h -> h.name).orElse(hostId);
            return new Guest(source, hostName, hostId, v.id, v.name);
        }
        OpenStackRegion r = simulation.openstack(source).orElseThrow(() ->
                SimulatedFault.notFound("no source " + source));
        NovaServer s = r.servers().stream().filter(x -> x.id.equals(vm) || x.name.equals(vm)).findFirst()
                .orElseThrow(() -> SimulatedFault.notFound("no server " + vm + " in " + source));
        if (s.host == null || s.deleted) {
            throw SimulatedFault.conflict("server " + s.name + " has no domain on a hypervisor");
        }
        return new Guest(source, s.host, s.host, s.id, s.instanceName);
    }

    private static String line(Instant t, String event, String domain, String details) {
        return VIRSH.format(t) + "+0000: event '" + event + "' for domain '" + domain + "'"
                + (details == null ? "" : ": " + details);
    }

    private void push(String method, String url, String body) {
        String auth = "Basic " + Base64.getEncoder().encodeToString((config.libvirt().sinkUsername() + ":"
                + config.libvirt().sinkPassword()).getBytes(StandardCharsets.UTF_8));
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Authorization", auth).header("Content-Type", "text/plain")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build();
        http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
            if (e != null) {
                LOG.debugf("libvirt sink %s unreachable: %s", url, e.getMessage());
            } else if (r.statusCode() >= 300) {
                LOG.warnf("libvirt sink %s answered %d: %s", url, r.statusCode(), r.body());
            }
        });
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
