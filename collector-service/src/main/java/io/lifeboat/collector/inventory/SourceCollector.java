package io.lifeboat.collector.inventory;

import io.lifeboat.collector.config.CollectorConfig;
import io.lifeboat.collector.source.SignalBatch;
import io.lifeboat.collector.source.SkippedItem;
import io.lifeboat.collector.source.SourceClient;
import io.lifeboat.collector.source.SourceSnapshot;
import io.lifeboat.common.change.CollectionCycleFinished;
import io.lifeboat.common.change.CycleOutcome;
import io.lifeboat.common.envelope.CloudEventsKafka;
import io.lifeboat.common.envelope.EventEnvelope;
import io.lifeboat.common.id.SourceId;
import io.lifeboat.common.id.SourceKind;
import io.lifeboat.common.inventory.HostState;
import io.lifeboat.common.inventory.VmState;
import io.lifeboat.common.topic.Topic;
import io.lifeboat.service.events.EventPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;

/**
 * Collects one source: full inventory cycles and fast-signal polls, never both at once. Reads through the source's
 * client, compares with the known state, publishes states, tombstones and change events, waits for Kafka's
 * acknowledgements, then stores the new known state (so a failed publish is retried by the next cycle).
 */
public final class SourceCollector {

    private static final Logger LOG = Logger.getLogger(SourceCollector.class);

    private final SourceId id;
    private final SourceKind kind;
    private final CollectorConfig.Source config;
    private final CollectorConfig global;
    private final SourceClient client;
    private final KnownStateStore store;
    private final EventPublisher publisher;
    private final MeterRegistry metrics;
    private final Clock clock;
    private final URI eventSource;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicInteger hostsGauge = new AtomicInteger();
    private final AtomicInteger vmsGauge = new AtomicInteger();

    private volatile SourceStatus.LastCycle lastCycle;
    private volatile Instant lastSignalPollAt;
    private volatile String lastSignalError;
    private volatile List<SkippedItem> lastSignalSkipped = List.of();
    private volatile Instant cycleStartedAt;

    public SourceCollector(SourceId id, SourceKind kind, CollectorConfig.Source config, CollectorConfig global,
                           SourceClient client, KnownStateStore store, EventPublisher publisher,
                           MeterRegistry metrics, Clock clock) {
        this.id = id;
        this.kind = kind;
        this.config = config;
        this.global = global;
        this.client = client;
        this.store = store;
        this.publisher = publisher;
        this.metrics = metrics;
        this.clock = clock;
        this.eventSource = URI.create("/lifeboat/collector/" + id);
        metrics.gauge("lifeboat.collector.items", List.of(io.micrometer.core.instrument.Tag.of("source", id.value()),
                io.micrometer.core.instrument.Tag.of("kind", "host")), hostsGauge);
        metrics.gauge("lifeboat.collector.items", List.of(io.micrometer.core.instrument.Tag.of("source", id.value()),
                io.micrometer.core.instrument.Tag.of("kind", "vm")), vmsGauge);
        // The counted series at zero from the start: an alert on their increase sees the first failure.
        for (CycleOutcome outcome : CycleOutcome.values()) {
            Timer.builder("lifeboat.collector.cycle").description("Duration of full inventory cycles")
                    .tag("source", id.value()).tag("outcome", outcome.name().toLowerCase()).register(metrics);
        }
        for (String stage : List.of("cycle", "signals")) {
            metrics.counter("lifeboat.collector.errors", "source", id.value(), "stage", stage);
            for (String item : List.of("host", "vm", "storage-domain", "server", "service")) {
                metrics.counter("lifeboat.collector.skipped.items", "source", id.value(), "kind", item, "stage", stage);
            }
        }
    }

    public SourceId id() {
        return id;
    }

    public boolean busy() {
        return lock.isLocked();
    }

    /** A full inventory cycle; waits for a running poll to finish. */
    public SourceStatus.LastCycle runCycle() {
        lock.lock();
        try {
            return cycle();
        } finally {
            lock.unlock();
        }
    }

    private SourceStatus.LastCycle cycle() {
        Instant started = clock.instant();
        cycleStartedAt = started;
        try {
            return cycle(started);
        } finally {
            cycleStartedAt = null;
        }
    }

    private SourceStatus.LastCycle cycle(Instant started) {
        long callsBefore = client.apiCalls();
        startSignals();
        SourceSnapshot snap = client.readInventory();
        CycleOutcome outcome;
        int statesPublished = 0;
        int changes = 0;
        List<String> errors = new ArrayList<>(snap.errors());
        countSkipped(snap.skipped(), "cycle");
        if (!snap.skipped().isEmpty()) {
            SkippedItem first = snap.skipped().get(0);
            errors.add(snap.skipped().size() + " item(s) skipped, their last known state stands (first: "
                    + first.kind() + " " + first.id() + ": " + first.reason() + ")");
        }
        if (snap.nothingRead()) {
            outcome = CycleOutcome.FAILED;
        } else {
            try {
                Known known = store.load(id);
                Instant last = store.lastRepublish(id).orElse(null);
                boolean republishAll = last != null && last.plus(global.fullRepublishInterval()).isBefore(started);
                InventoryDiff.Result r = InventoryDiff.diff(known, snap.hosts(), snap.hostsComplete(),
                        io.lifeboat.common.change.SignalSource.INVENTORY_CYCLE, snap.vms(), snap.vmsComplete(),
                        io.lifeboat.common.change.SignalSource.INVENTORY_CYCLE, snap.storageDomains(),
                        snap.storageDomainsComplete(), snap.standing("host", "vm", "server", "service",
                                "storage-domain"), republishAll, started);
                publish(r);
                store.apply(id, r, started, republishAll || last == null);
                statesPublished = r.hosts().size() + r.vms().size() + r.storageDomains().size();
                changes = r.changes().size();
                outcome = snap.complete() ? CycleOutcome.COMPLETE : CycleOutcome.PARTIAL;
            } catch (RuntimeException e) {
                LOG.errorf("source %s: the cycle could not be published or stored: %s", id, e.getMessage());
                errors.add("publish/store: " + e.getMessage());
                outcome = CycleOutcome.FAILED;
            }
        }
        Instant finished = clock.instant();
        long calls = client.apiCalls() - callsBefore;
        SourceStatus.LastCycle result = new SourceStatus.LastCycle(started, finished,
                Duration.between(started, finished).toMillis(), outcome, calls, snap.hosts().size(), snap.vms().size(),
                snap.storageDomains().size(), statesPublished, changes, List.copyOf(errors), snap.skipped().size(),
                snap.skipped().stream().limit(20).toList());
        lastCycle = result;
        if (snap.hostsComplete()) {
            hostsGauge.set(snap.hosts().size());
        }
        if (snap.vmsComplete()) {
            vmsGauge.set(snap.vms().size());
        }
        Timer.builder("lifeboat.collector.cycle").description("Duration of full inventory cycles")
                .tag("source", id.value()).tag("outcome", outcome.name().toLowerCase()).register(metrics)
                .record(Duration.between(started, finished));
        if (outcome != CycleOutcome.COMPLETE) {
            metrics.counter("lifeboat.collector.errors", "source", id.value(), "stage", "cycle").increment();
            LOG.warnf("source %s: cycle %s: %s", id, outcome, String.join("; ", errors));
        }
        try {
            publisher.publishAndWait(EventEnvelope.create(eventSource, new CollectionCycleFinished(id, kind, started,
                    finished, outcome, snap.hosts().size(), snap.vms().size(), (int) calls, changes,
                    errors.isEmpty() ? null : String.join("; ", errors))));
        } catch (RuntimeException e) {
            LOG.warnf("source %s: cannot publish the cycle report: %s", id, e.getMessage());
        }
        return result;
    }

    /**
     * The first cycle of a source also starts its fast signals, before it reads anything: a change that happens
     * while the inventory is read is then signalled by the next poll instead of being skipped by a cursor taken
     * after it.
     */
    private void startSignals() {
        try {
            if (store.cursor(id).isEmpty()) {
                store.setCursor(id, client.startCursor(), clock.instant());
            }
        } catch (RuntimeException e) {
            LOG.debugf("source %s: the signal cursor could not be set before the cycle: %s", id, e.getMessage());
        }
    }

    /** One fast-signal poll; skipped while a cycle runs (the cycle sees the same changes). */
    public void pollSignals() {
        if (!lock.tryLock()) {
            return;
        }
        long t0 = System.nanoTime();
        long read = 0;
        try {
            String cursor = store.cursor(id).orElse(null);
            Map<String, Known.Entry<HostState>> knownHosts = store.hosts(id);
            long r0 = System.nanoTime();
            SignalBatch batch = client.readSignals(cursor, knownHosts.entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().state())), Map.of());
            read = System.nanoTime() - r0;
            countSkipped(batch.skipped(), "signals");
            lastSignalSkipped = batch.skipped();
            if (!batch.hosts().isEmpty() || !batch.vms().isEmpty()) {
                Map<String, Known.Entry<VmState>> knownVms = store.vms(id, batch.vms().stream()
                        .map(v -> v.vm().toString()).toList());
                Known known = new Known(knownHosts, knownVms, Map.of());
                Instant now = clock.instant();
                // New VMs are left to the full cycle: a fast signal announces changes of what is known.
                List<VmState> knownOnly = batch.vms().stream().filter(v -> knownVms.containsKey(v.vm().toString()))
                        .toList();
                InventoryDiff.Result r = InventoryDiff.diff(known, batch.hosts(), false, batch.hostSignal(),
                        knownOnly, false, batch.vmSignal(), List.of(), false, false, now);
                if (!r.isEmpty()) {
                    publish(r);
                    store.apply(id, r, now, false);
                }
            }
            store.setCursor(id, batch.nextCursor(), clock.instant());
            lastSignalPollAt = clock.instant();
            lastSignalError = null;
        } catch (RuntimeException e) {
            if (!java.util.Objects.equals(lastSignalError, e.getMessage())) {
                // log each new kind of failure once, not once a second
                LOG.warnf("source %s: signal poll failed: %s", id, e.getMessage());
            }
            lastSignalError = e.getMessage();
            metrics.counter("lifeboat.collector.errors", "source", id.value(), "stage", "signals").increment();
        } finally {
            lock.unlock();
            long took = (System.nanoTime() - t0) / 1_000_000;
            if (took > 5_000) {
                LOG.warnf("source %s: a signal poll took %d ms (reading the cloud: %d ms)", id, took, read / 1_000_000);
            }
        }
    }

    private void countSkipped(List<SkippedItem> skipped, String stage) {
        for (SkippedItem s : skipped) {
            metrics.counter("lifeboat.collector.skipped.items", "source", id.value(), "kind", s.kind(), "stage", stage)
                    .increment();
            LOG.warnf("source %s: %s %s skipped (%s): %s", id, s.kind(), s.id(), stage, s.reason());
        }
    }

    private void publish(InventoryDiff.Result r) {
        List<EventEnvelope<?>> events = new ArrayList<>();
        r.hosts().forEach(h -> events.add(EventEnvelope.create(eventSource, h, h.observedAt())));
        r.vms().forEach(v -> events.add(EventEnvelope.create(eventSource, v, v.observedAt())));
        r.storageDomains().forEach(d -> events.add(EventEnvelope.create(eventSource, d, d.observedAt())));
        r.changes().forEach(c -> events.add(EventEnvelope.create(eventSource, c)));
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        events.forEach(e -> records.add(CloudEventsKafka.toRecord(e)));
        r.removedHosts().forEach(k -> records.add(new ProducerRecord<>(Topic.INVENTORY_HOSTS.topicName(), k, null)));
        r.removedVms().forEach(k -> records.add(new ProducerRecord<>(Topic.INVENTORY_VMS.topicName(), k, null)));
        r.removedStorageDomains().forEach(k -> records.add(new ProducerRecord<>(
                Topic.INVENTORY_STORAGE_DOMAINS.topicName(), k, null)));
        publisher.sendAllAndWait(records);   // tombstones: the key with no value, on compacted topics
        for (Object c : r.changes()) {
            metrics.counter("lifeboat.collector.changes", "source", id.value(), "type",
                    io.lifeboat.common.event.EventTypes.forData(c).type()).increment();
        }
    }

    public SourceStatus status(boolean cycleRunning) {
        SourceStatus.LastCycle c = lastCycle;
        String health;
        String detail = null;
        Instant running = cycleStartedAt;
        Duration runningFor = running == null ? Duration.ZERO : Duration.between(running, clock.instant());
        if (runningFor.compareTo(global.cycleStallAfter()) > 0) {
            // A cycle that hangs is not a healthy source, whatever the last one said.
            health = "DEGRADED";
            detail = "the current cycle has been running for " + runningFor.toSeconds() + " s";
        } else if (c == null) {
            health = "UNKNOWN";
            detail = "no cycle yet";
        } else if (c.outcome() == CycleOutcome.FAILED) {
            health = "DOWN";
            detail = String.join("; ", c.errors());
        } else if (c.outcome() == CycleOutcome.PARTIAL || lastSignalError != null) {
            health = "DEGRADED";
            detail = c.outcome() == CycleOutcome.PARTIAL ? String.join("; ", c.errors()) : lastSignalError;
        } else {
            health = "UP";
        }
        return new SourceStatus(id.value(), kind.name().toLowerCase(), withoutUserInfo(config.url()), health, detail,
                c, lastSignalPollAt, lastSignalError, lastSignalSkipped, client.apiCalls(), cycleRunning);
    }

    static String withoutUserInfo(String url) {
        try {
            URI u = URI.create(url);
            return new URI(u.getScheme(), null, u.getHost(), u.getPort(), u.getPath(), null, null).toString();
        } catch (Exception e) {
            return "(unparseable URL)";
        }
    }

    public void close() {
        client.close();
    }
}
