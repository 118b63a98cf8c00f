package io.lifeboat.watchdog.ingest;

import io.lifeboat.common.envelope.EventEnvelope;
import io.lifeboat.common.libvirt.LibvirtRawEvent;
import io.lifeboat.service.events.EventPublisher;
import io.lifeboat.watchdog.config.WatchdogConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One libvirt connection per hypervisor (those of the inventory, plus any configured), reconnecting with exponential
 * backoff. Their events go to {@code lifeboat.libvirt.raw.v1}, the path every ingestion form shares.
 */
@ApplicationScoped
public class LibvirtConnections {

    private static final Logger LOG = Logger.getLogger(LibvirtConnections.class);
    static final URI SOURCE = URI.create("/lifeboat/watchdog/libvirt");

    @Inject
    WatchdogConfig config;

    @Inject
    EventPublisher publisher;

    @Inject
    EntityManager em;

    @Inject
    io.lifeboat.watchdog.hypervisor.DomainInventory domains;

    /** A hypervisor's connection state, for the REST status. */
    public record Status(String hypervisor, String uri, String state, Instant since, String lastError,
                         long events, Instant nextAttemptAt) {
    }

    private static final class Target {
        final String hypervisor;
        final String uri;
        LibvirtEventSource source;
        Instant since = Instant.now();
        String lastError;
        long events;
        Duration backoff = Duration.ofSeconds(5);
        Instant nextAttempt = Instant.EPOCH;

        Target(String hypervisor, String uri) {
            this.hypervisor = hypervisor;
            this.uri = uri;
        }
    }

    private final Map<String, Target> targets = new ConcurrentHashMap<>();
    private volatile String unavailable;
    private volatile boolean stopping;

    void onStop(@Observes ShutdownEvent e) {
        stopping = true;
        targets.values().forEach(t -> {
            if (t.source != null) {
                t.source.close();
            }
        });
    }

    @Scheduled(every = "${lifeboat.watchdog.libvirt.reconcile-interval:10s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reconcile() {
        if (!config.libvirt().enabled() || stopping) {
            return;
        }
        String reason = LibvirtEventSource.unavailableReason();
        if (reason != null) {
            if (!reason.equals(unavailable)) {
                LOG.warnf("libvirt connections are off: %s", reason);
            }
            unavailable = reason;
            return;
        }
        unavailable = null;
        for (Map.Entry<String, String> w : wanted().entrySet()) {
            Target t = targets.computeIfAbsent(w.getKey(), h -> new Target(h, w.getValue()));
            if ((t.source == null || !t.source.open()) && !Instant.now().isBefore(t.nextAttempt)) {
                connect(t);
            }
            if (t.source != null && t.source.open()) {
                try {
                    domains.replace(t.hypervisor, t.source.domains(), "LIBVIRT");
                } catch (Exception e) {
                    t.lastError = "listing domains: " + e.getMessage();
                }
            }
        }
    }

    private void connect(Target t) {
        try {
            t.source = new LibvirtEventSource(t.uri, t.hypervisor, null, e -> publish(t, e), () -> lost(t),
                    Clock.systemUTC());
            t.since = Instant.now();
            t.lastError = null;
            t.backoff = Duration.ofSeconds(5);
            LOG.infof("libvirt: connected to %s (%s)", t.hypervisor, t.uri);
        } catch (Exception e) {
            t.source = null;
            t.lastError = e.getMessage();
            t.nextAttempt = Instant.now().plus(t.backoff);
            t.backoff = t.backoff.multipliedBy(2).compareTo(config.libvirt().maxBackoff()) > 0
                    ? config.libvirt().maxBackoff() : t.backoff.multipliedBy(2);
            LOG.debugf("libvirt: cannot connect to %s: %s", t.hypervisor, e.getMessage());
        }
    }

    private void lost(Target t) {
        t.lastError = "connection lost";
        t.since = Instant.now();
        t.nextAttempt = Instant.now().plus(t.backoff);
    }

    private void publish(Target t, LibvirtRawEvent e) {
        t.events++;
        publisher.publish(EventEnvelope.create(SOURCE, e)).whenComplete((ok, err) -> {
            if (err != null) {
                LOG.warnf("libvirt event from %s not published: %s", t.hypervisor, err.getMessage());
            }
        });
    }

    /** hypervisor → URI: the configured ones and, when asked, those of the inventory. */
    @Transactional
    Map<String, String> wanted() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String h : config.libvirt().hypervisors().orElse(List.of())) {
            int eq = h.indexOf('=');
            String name = eq < 0 ? h.strip() : h.substring(0, eq).strip();
            out.put(name, eq < 0 ? uri(name) : h.substring(eq + 1).strip());
        }
        if (config.libvirt().fromInventory()) {
            for (String h : em.createQuery("select distinct v.hostName from VmRef v where v.hostName is not null and"
                    + " v.removed = false", String.class).getResultList()) {
                out.putIfAbsent(h, uri(h));
            }
        }
        return out;
    }

    private String uri(String host) {
        return config.libvirt().uriTemplate().replace("{host}", host);
    }

    public List<Status> status() {
        List<Status> out = new ArrayList<>();
        for (Target t : targets.values()) {
            boolean up = t.source != null && t.source.open();
            out.add(new Status(t.hypervisor, t.uri, up ? "CONNECTED" : "DISCONNECTED", t.since, t.lastError,
                    t.events, up ? null : t.nextAttempt));
        }
        return out;
    }

    /** Why libvirt connections cannot be made in this JVM, or null. */
    public String unavailable() {
        return config.libvirt().enabled() ? unavailable : "disabled (lifeboat.watchdog.libvirt.enabled=false)";
    }

}
