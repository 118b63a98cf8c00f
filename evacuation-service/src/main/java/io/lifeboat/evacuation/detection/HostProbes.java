package io.lifeboat.evacuation.detection;

import io.lifeboat.evacuation.config.EvacuationConfig;
import io.lifeboat.evacuation.fencing.Fencer;
import io.lifeboat.evacuation.fencing.RedfishFencer;
import io.lifeboat.evacuation.view.HostView;
import io.lifeboat.evacuation.platform.Platforms;
import io.lifeboat.evacuation.platform.openstack.NovaApi;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lifeboat's own evidence about every host of a source with {@code detection.enabled}: every {@code interval}, one
 * round reads the region's nova-compute heartbeats (one call), each host's BMC {@code PowerState} and a TCP connect to
 * each host's management address, all hosts at once. The readings go to {@link HostEvidence}; the combined verdict of
 * each host, as a {@link HostProbed} event, to the failure lifecycle, which opens an episode when two probes agree (DESIGN.md: detection). A probe
 * that cannot tell reads UNKNOWN, never DOWN: a BMC that does not answer is no proof of anything.
 */
@ApplicationScoped
public class HostProbes {

    private static final Logger LOG = Logger.getLogger(HostProbes.class);
    /** Hosts probed at once, across sources. */
    private static final int PARALLEL = 16;

    @Inject
    EvacuationConfig config;

    @Inject
    Platforms platforms;

    @Inject
    io.lifeboat.evacuation.fencing.Fencers fencers;

    @Inject
    HostEvidence evidence;

    @Inject
    jakarta.enterprise.event.Event<HostProbed> verdicts;

    @Inject
    MeterRegistry metrics;

    private ScheduledExecutorService rounds;
    private ExecutorService probes;

    void start(@Observes StartupEvent e) {
        Map<String, EvacuationConfig.Source> enabled = new HashMap<>();
        config.sources().forEach((id, s) -> {
            if (s.detection().enabled()) {
                enabled.put(id, s);
            }
        });
        if (enabled.isEmpty()) {
            return;
        }
        AtomicInteger n = new AtomicInteger();
        rounds = Executors.newScheduledThreadPool(Math.min(enabled.size(), 4), r -> daemon(r, "lifeboat-probe-round-"
                + n.incrementAndGet()));
        probes = Executors.newFixedThreadPool(PARALLEL, r -> daemon(r, "lifeboat-probe-" + n.incrementAndGet()));
        enabled.forEach((id, s) -> {
            rounds.scheduleWithFixedDelay(() -> round(id, s), 2000, s.detection().interval().toMillis(),
                    TimeUnit.MILLISECONDS);
            LOG.infof("source %s: probing its hosts every %s (BMC %s, ports %s, heartbeat older than %s)", id,
                    s.detection().interval(), s.detection().bmc() && s.redfish().systemUrl().isPresent(),
                    s.detection().ports().orElse(List.of()), s.detection().heartbeatStale());
        });
    }

    void stop(@Observes ShutdownEvent e) {
        if (rounds != null) {
            rounds.shutdownNow();
            probes.shutdownNow();
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** One host's probe readings. */
    private record Readings(String hostKey, List<Reading> readings) {
    }

    record Reading(Evidence.Kind kind, Evidence.Reading reading, String detail) {
    }

    void round(String sourceId, EvacuationConfig.Source s) {
        try {
            List<HostView> hosts = hostsOf(sourceId);
            if (hosts.isEmpty()) {
                return;
            }
            Map<String, Reading> heartbeats = heartbeats(sourceId, s, hosts);
            Optional<RedfishFencer> bmc = s.detection().bmc() ? fencers.bmcs(sourceId) : Optional.empty();
            List<CompletableFuture<Readings>> futures = new ArrayList<>();
            for (HostView h : hosts) {
                futures.add(CompletableFuture.supplyAsync(() -> probe(sourceId, s, h, bmc, heartbeats), probes));
            }
            List<Readings> all = futures.stream().map(CompletableFuture::join).toList();
            apply(all, Instant.now());
            metrics.counter("lifeboat.evacuation.probe.rounds", "source", sourceId).increment();
        } catch (RuntimeException e) {
            LOG.warnf(e, "source %s: probe round failed", sourceId);
        }
    }

    @Transactional
    List<HostView> hostsOf(String sourceId) {
        List<HostView> hosts = HostView.list("sourceId", sourceId);
        hosts.forEach(h -> HostView.getEntityManager().detach(h));
        return hosts;
    }

    /**
     * OpenStack: each host's heartbeat age against the region's newest heartbeat (Nova's own clock), from one
     * {@code os-services} call. A failed call makes every host's heartbeat UNKNOWN.
     */
    private Map<String, Reading> heartbeats(String sourceId, EvacuationConfig.Source s, List<HostView> hosts) {
        Map<String, Reading> out = new HashMap<>();
        if (s.kind() != EvacuationConfig.Kind.OPENSTACK || platforms.source(sourceId).isEmpty()) {
            return out;
        }
        List<NovaApi.ComputeService> services;
        try {
            services = platforms.nova(sourceId).computeServices();
        } catch (RuntimeException e) {
            hosts.forEach(h -> out.put(h.name, new Reading(Evidence.Kind.HEARTBEAT, Evidence.Reading.UNKNOWN,
                    "os-services could not be read: " + e.getMessage())));
            return out;
        }
        Instant newest = services.stream().map(NovaApi.ComputeService::updatedAt).filter(java.util.Objects::nonNull)
                .max(Instant::compareTo).orElse(null);
        for (NovaApi.ComputeService c : services) {
            if (c.updatedAt() == null || newest == null) {
                out.put(c.host(), new Reading(Evidence.Kind.HEARTBEAT, Evidence.Reading.UNKNOWN,
                        "nova-compute has no heartbeat on record"));
                continue;
            }
            long age = Duration.between(c.updatedAt(), newest).toSeconds();
            boolean stale = Duration.between(c.updatedAt(), newest).compareTo(s.detection().heartbeatStale()) > 0;
            out.put(c.host(), new Reading(Evidence.Kind.HEARTBEAT, stale ? Evidence.Reading.DOWN
                    : Evidence.Reading.UP, "last nova-compute heartbeat " + age + " s before the region's newest"
                    + (stale ? " (more than " + s.detection().heartbeatStale().toSeconds() + " s)" : "")));
        }
        return out;
    }

    private Readings probe(String sourceId, EvacuationConfig.Source s, HostView h, Optional<RedfishFencer> bmc,
                           Map<String, Reading> heartbeats) {
        List<Reading> out = new ArrayList<>();
        Reading hb = heartbeats.get(h.name);
        if (hb != null) {
            out.add(hb);
        }
        bmc.ifPresent(b -> out.add(bmcReading(sourceId, b, h, s)));
        List<Integer> ports = s.detection().ports().orElse(List.of());
        if (!ports.isEmpty()) {
            out.add(network(h.address, ports, s.detection().connectTimeout()));
        }
        return new Readings(h.hostKey, out);
    }

    private static Reading bmcReading(String sourceId, RedfishFencer bmc, HostView h, EvacuationConfig.Source s) {
        List<String> problem = new ArrayList<>();
        Optional<String> state = bmc.readPowerState(new Fencer.Target(sourceId, h.hostId, h.name),
                s.detection().bmcTimeout(), problem);
        if (state.isEmpty()) {
            return new Reading(Evidence.Kind.BMC, Evidence.Reading.UNKNOWN, String.join("; ", problem));
        }
        return new Reading(Evidence.Kind.BMC, switch (state.get()) {
            case "Off" -> Evidence.Reading.DOWN;
            case "On" -> Evidence.Reading.UP;
            default -> Evidence.Reading.UNKNOWN;   // PoweringOn, PoweringOff, Paused, Unknown: no verdict
        }, "PowerState " + state.get());
    }

    /** Up when any port accepts a connection; down when every one refuses or times out; unknown without address. */
    static Reading network(String address, List<Integer> ports, Duration timeout) {
        if (address == null || address.isBlank()) {
            return new Reading(Evidence.Kind.NETWORK, Evidence.Reading.UNKNOWN, "no management address");
        }
        List<String> failures = new ArrayList<>();
        for (int port : ports) {
            InetSocketAddress target = new InetSocketAddress(address, port);
            if (target.isUnresolved()) {
                return new Reading(Evidence.Kind.NETWORK, Evidence.Reading.UNKNOWN, address + " does not resolve");
            }
            try (Socket socket = new Socket()) {
                socket.connect(target, (int) timeout.toMillis());
                return new Reading(Evidence.Kind.NETWORK, Evidence.Reading.UP, address + ":" + port + " accepts");
            } catch (SocketTimeoutException e) {
                failures.add(address + ":" + port + " timed out after " + timeout.toMillis() + " ms");
            } catch (IOException e) {
                failures.add(address + ":" + port + " " + (e instanceof java.net.ConnectException ? "refused"
                        : e.getMessage()));
            }
        }
        return new Reading(Evidence.Kind.NETWORK, Evidence.Reading.DOWN, String.join(", ", failures));
    }

    @Transactional
    void apply(List<Readings> all, Instant now) {
        for (Readings r : all) {
            for (Reading reading : r.readings()) {
                evidence.record(r.hostKey(), reading.kind(), reading.reading(), reading.detail(), now);
            }
            HostView host = HostView.findById(r.hostKey());
            if (host != null) {
                verdicts.fire(new HostProbed(host, evidence.verdict(host)));
            }
        }
    }
}
