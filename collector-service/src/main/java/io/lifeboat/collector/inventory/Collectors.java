package io.lifeboat.collector.inventory;

import io.lifeboat.collector.config.CollectorConfig;
import io.lifeboat.cloud.CloudCalls;
import io.lifeboat.cloud.Password;
import io.lifeboat.collector.source.SourceClient;
import io.lifeboat.collector.source.openstack.OpenStackSourceClient;
import io.lifeboat.collector.source.ovirt.OvirtSourceClient;
import io.lifeboat.common.id.SourceId;
import io.lifeboat.common.id.SourceKind;
import io.lifeboat.service.events.EventPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Every configured source's collector, and the schedule that runs them: a full cycle every {@code cycle-interval}, a
 * fast-signal poll every {@code signal-interval}, each source on its own so that one failing engine never delays
 * the others.
 */
@ApplicationScoped
public class Collectors {

    private static final Logger LOG = Logger.getLogger(Collectors.class);

    @Inject
    CollectorConfig config;

    @Inject
    KnownStateStore store;

    @Inject
    EventPublisher publisher;

    @Inject
    MeterRegistry metrics;

    private final Clock clock = Clock.systemUTC();
    private final Map<String, SourceCollector> collectors = new TreeMap<>();
    private final Map<String, SourceStatus> misconfigured = new TreeMap<>();
    private final Map<String, Instant> nextCycle = new ConcurrentHashMap<>();
    private final Map<String, Instant> nextPoll = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<SourceStatus.LastCycle>> runningCycles = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Void>> runningPolls = new ConcurrentHashMap<>();
    private ExecutorService executor;

    void start(@Observes StartupEvent ev) {
        executor = Executors.newFixedThreadPool(Math.max(2, config.sources().size() * 2), r -> {
            Thread t = new Thread(r, "collector");
            t.setDaemon(true);
            return t;
        });
        config.sources().forEach((name, source) -> {
            try {
                SourceId id = SourceId.of(name);
                if (!source.enabled()) {
                    misconfigured.put(name, new SourceStatus(name, source.kind().name().toLowerCase(),
                            SourceCollector.withoutUserInfo(source.url()), "DISABLED", "enabled=false", null, null,
                            null, List.of(), 0, false));
                    return;
                }
                collectors.put(name, newCollector(name));
                nextCycle.put(name, clock.instant());
                nextPoll.put(name, clock.instant());
                LOG.infof("source %s: %s at %s, cycle every %s, signals every %s", name, source.kind(),
                        SourceCollector.withoutUserInfo(source.url()), source.cycleInterval(),
                        source.signalInterval());
            } catch (RuntimeException e) {
                LOG.errorf("source %s is misconfigured: %s", name, e.getMessage());
                misconfigured.put(name, new SourceStatus(name, source.kind().name().toLowerCase(),
                        SourceCollector.withoutUserInfo(source.url()), "MISCONFIGURED", e.getMessage(), null, null,
                        null, List.of(), 0, false));
            }
        });
    }

    /** A collector for a configured source, as built at start (also what a restart builds). */
    public SourceCollector newCollector(String name) {
        CollectorConfig.Source source = config.sources().get(name);
        if (source == null) {
            throw new IllegalArgumentException("no source " + name);
        }
        SourceId id = SourceId.of(name);
        requirePassword(name, source);
        CloudCalls calls = new CloudCalls(name, "lifeboat.collector", source.callTimeout(), source.retries(), metrics);
        SourceClient client = source.kind() == CollectorConfig.Kind.OVIRT
                ? new OvirtSourceClient(id, source, calls, clock)
                : new OpenStackSourceClient(id, source, calls, clock);
        return new SourceCollector(id, source.kind() == CollectorConfig.Kind.OVIRT ? SourceKind.OVIRT
                : SourceKind.OPENSTACK, source, config, client, store, publisher, metrics, clock);
    }

    void stop(@Observes ShutdownEvent ev) {
        if (executor != null) {
            executor.shutdownNow();
        }
        collectors.values().forEach(SourceCollector::close);
    }

    /**
     * A source without a password is misconfigured, said at start. The password itself is read at each login (a
     * password file again when it changed: a rotated secret needs no restart).
     */
    static void requirePassword(String name, CollectorConfig.Source s) {
        if (Password.of(s, name).get() == null) {
            throw new IllegalArgumentException("no password: set lifeboat.collector.sources." + name
                    + ".password (e.g. from an environment variable) or .password-file");
        }
    }

    @Scheduled(every = "${lifeboat.collector.tick:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        Instant now = clock.instant();
        for (Map.Entry<String, SourceCollector> e : collectors.entrySet()) {
            String name = e.getKey();
            CollectorConfig.Source cfg = config.sources().get(name);
            if (!now.isBefore(nextCycle.get(name))) {
                nextCycle.put(name, now.plus(cfg.cycleInterval()));
                cycle(name);
            }
            CompletableFuture<Void> poll = runningPolls.get(name);
            if (!now.isBefore(nextPoll.get(name)) && (poll == null || poll.isDone())) {
                nextPoll.put(name, now.plus(cfg.signalInterval()));
                runningPolls.put(name, CompletableFuture.runAsync(() -> e.getValue().pollSignals(), executor));
            }
        }
    }

    /** Starts a cycle now unless one is running; returns the running or new cycle. */
    public synchronized Optional<CompletableFuture<SourceStatus.LastCycle>> cycle(String name) {
        SourceCollector c = collectors.get(name);
        if (c == null) {
            return Optional.empty();
        }
        CompletableFuture<SourceStatus.LastCycle> running = runningCycles.get(name);
        if (running != null && !running.isDone()) {
            return Optional.of(running);
        }
        CompletableFuture<SourceStatus.LastCycle> started = CompletableFuture.supplyAsync(c::runCycle, executor);
        started.whenComplete((r, t) -> {
            if (t != null) {
                LOG.errorf(t, "source %s: cycle failed", name);
            }
        });
        runningCycles.put(name, started);
        return Optional.of(started);
    }

    private boolean cycleRunning(String name) {
        CompletableFuture<SourceStatus.LastCycle> f = runningCycles.get(name);
        return f != null && !f.isDone();
    }

    public boolean known(String name) {
        return collectors.containsKey(name) || misconfigured.containsKey(name);
    }

    public List<SourceStatus> statuses() {
        List<SourceStatus> out = new ArrayList<>();
        collectors.forEach((n, c) -> out.add(c.status(cycleRunning(n))));
        out.addAll(misconfigured.values());
        out.sort(java.util.Comparator.comparing(SourceStatus::id));
        return out;
    }

    public Optional<SourceStatus> status(String name) {
        SourceCollector c = collectors.get(name);
        return c != null ? Optional.of(c.status(cycleRunning(name)))
                : Optional.ofNullable(misconfigured.get(name));
    }

    /** For tests: the collector of a source, to drive it directly. */
    public Optional<SourceCollector> collector(String name) {
        return Optional.ofNullable(collectors.get(name));
    }
}
