package io.lifeboat.service.outbox;

import io.lifeboat.common.envelope.CloudEventsKafka;
import io.lifeboat.common.envelope.EventEnvelope;
import io.lifeboat.common.event.EventType;
import io.lifeboat.common.event.EventTypes;
import io.lifeboat.common.json.Json;
import io.lifeboat.service.events.EventPublisher;
import io.lifeboat.service.pipeline.Failures;
import io.lifeboat.service.schema.SupportSchema;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RetriableException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.Session;
import org.jboss.logging.Logger;

import java.net.URI;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes the outbox: woken when a transaction that wrote to it commits (and every {@code poll-interval} for rows
 * written by another replica or before a restart), it takes the oldest rows ({@code for update skip locked}, so
 * replicas never publish a row twice at once), sends them, and deletes exactly the rows Kafka acknowledged. A row that
 * can never be published is parked with its reason and the rows after it go on; a broker that is away is waited for
 * with backoff. The age of the oldest waiting row is a gauge and, past {@code max-age}, makes readiness DOWN.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final int BATCH = 500;

    @Inject
    EventPublisher publisher;

    @Inject
    EntityManager em;

    @Inject
    MeterRegistry registry;

    @Inject
    SupportSchema schema;

    @ConfigProperty(name = "lifeboat.outbox.poll-interval", defaultValue = "1s")
    Duration pollInterval;

    @ConfigProperty(name = "lifeboat.outbox.max-age", defaultValue = "60s")
    Duration maxAge;

    @ConfigProperty(name = "lifeboat.outbox.enabled", defaultValue = "true")
    boolean enabled;

    /** What the health check shows. */
    public record Backlog(long pending, Duration oldest, long parked, String lastError, Instant checkedAt) {
    }

    private final Semaphore wake = new Semaphore(0);
    private final Map<Long, Long> committedAtNanos = new ConcurrentHashMap<>();
    private volatile boolean stopping;
    private volatile Backlog backlog = new Backlog(0, Duration.ZERO, 0, null, Instant.now());
    private volatile String lastError;
    private Thread thread;
    private Counter published;
    private Counter parked;
    private Timer latency;

    void start(@Observes @Priority(110) StartupEvent e) {
        if (!enabled) {
            return;
        }
        published = Counter.builder("lifeboat.outbox.published").description("Outbox events published")
                .register(registry);
        parked = Counter.builder("lifeboat.outbox.parked").description("Outbox events set aside, unpublishable")
                .register(registry);
        latency = Timer.builder("lifeboat.outbox.relay.latency")
                .description("From the commit of an outbox event to Kafka's acknowledgement")
                .publishPercentiles(0.5, 0.99).publishPercentileHistogram().register(registry);
        Gauge.builder("lifeboat.outbox.pending", this, r -> r.backlog.pending())
                .description("Outbox events waiting to be published").register(registry);
        Gauge.builder("lifeboat.outbox.oldest.age", this, r -> r.backlog.oldest().toMillis() / 1000.0)
                .baseUnit("seconds").description("Age of the oldest outbox event not yet published")
                .register(registry);
        Gauge.builder("lifeboat.outbox.parked.rows", this, r -> r.backlog.parked())
                .description("Outbox events set aside as unpublishable").register(registry);
        schema.migrate();
        thread = new Thread(this::loop, "lifeboat-outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes @Priority(20) ShutdownEvent e) {
        stopping = true;
        wake.release();
        if (thread != null) {
            try {
                thread.join(5000);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Called after a transaction that wrote these rows committed. */
    void committed(List<Long> rows) {
        long now = System.nanoTime();
        if (committedAtNanos.size() < 100_000) {
            rows.forEach(id -> committedAtNanos.put(id, now));
        }
        wake.release();
    }

    public Backlog backlog() {
        return backlog;
    }

    public Duration maxAge() {
        return maxAge;
    }

    public boolean enabled() {
        return enabled;
    }

    private void loop() {
        int failures = 0;
        long lastStats = 0;
        while (!stopping) {
            try {
                wake.tryAcquire(failures == 0 ? pollInterval.toMillis() : backoff(failures), TimeUnit.MILLISECONDS);
                wake.drainPermits();
            } catch (InterruptedException e) {
                break;
            }
            try {
                int n;
                do {
                    n = relayOnce();
                } while (n == BATCH && !stopping);
                failures = 0;
                lastError = null;
            } catch (RuntimeException e) {
                failures++;
                lastError = Failures.describe(e);
                if (failures == 1 || failures % 20 == 0) {
                    LOG.warnf("outbox relay failed (%d in a row), will retry: %s", failures, lastError);
                }
            }
            if (System.nanoTime() - lastStats > 1_000_000_000L || failures > 0) {
                lastStats = System.nanoTime();
                refreshBacklog();
            }
        }
    }

    private long backoff(int failures) {
        long d = Math.min(10_000, 100L << Math.min(failures, 10));
        return (long) (d * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
    }

    /** One batch: returns how many rows it took (published, parked or left for a retry). */
    int relayOnce() {
        List<String> retryLater = new ArrayList<>();
        int taken = QuarkusTransaction.requiringNew().timeout(60).call(() -> {
            List<Row> rows = next();
            if (rows.isEmpty()) {
                return 0;
            }
            Map<Row, CompletableFuture<RecordMetadata>> sends = new LinkedHashMap<>();
            Map<Long, String> park = new LinkedHashMap<>();
            for (Row row : rows) {
                ProducerRecord<String, byte[]> record;
                try {
                    record = record(row);
                } catch (RuntimeException e) {
                    park.put(row.id, "cannot be built into an event: " + Failures.describe(e));
                    continue;
                }
                CompletableFuture<RecordMetadata> sent = publisher.send(record).toCompletableFuture();
                sends.put(row, sent);
                if (sent.isCompletedExceptionally()) {
                    // Failed at once (the broker unreachable: no metadata within max.block.ms): every further send
                    // would block as long again. The rows not sent stay, in order, for the next round.
                    break;
                }
            }
            List<Long> done = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(35);
            for (Map.Entry<Row, CompletableFuture<RecordMetadata>> s : sends.entrySet()) {
                Row row = s.getKey();
                try {
                    s.getValue().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    done.add(row.id);
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RetriableException) {
                        retryLater.add(Failures.describe(cause));
                    } else {
                        park.put(row.id, "refused by Kafka: " + Failures.describe(cause));
                    }
                } catch (TimeoutException e) {
                    retryLater.add("no acknowledgement from Kafka within 35 s");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    retryLater.add("interrupted");
                    break;
                }
            }
            finish(done, park);
            return rows.size();
        });
        if (!retryLater.isEmpty()) {
            throw new IllegalStateException(retryLater.size() + " outbox event(s) not published: "
                    + retryLater.get(0));
        }
        return taken;
    }

    private record Row(long id, String eventId, String type, String source, Instant eventTime, String payload,
                       String key) {
    }

    private List<Row> next() {
        return em.unwrap(Session.class).doReturningWork(c -> {
            List<Row> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select id, event_id, type, source, event_time, payload,"
                    + " record_key from outbox_event where parked_at is null order by id limit " + BATCH
                    + " for update skip locked")) {
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getTimestamp(5).toInstant(), rs.getString(6), rs.getString(7)));
                    }
                }
            }
            return rows;
        });
    }

    private void finish(List<Long> done, Map<Long, String> park) {
        em.unwrap(Session.class).doWork(c -> {
            if (!done.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("delete from outbox_event where id = any(?)")) {
                    Array ids = c.createArrayOf("bigint", done.toArray());
                    ps.setArray(1, ids);
                    ps.executeUpdate();
                }
            }
            for (Map.Entry<Long, String> p : park.entrySet()) {
                try (PreparedStatement ps = c.prepareStatement("update outbox_event set parked_at = now(),"
                        + " park_reason = ? where id = ?")) {
                    ps.setString(1, p.getValue());
                    ps.setLong(2, p.getKey());
                    ps.executeUpdate();
                }
            }
        });
        long now = System.nanoTime();
        for (Long id : done) {
            Long at = committedAtNanos.remove(id);
            if (at != null) {
                latency.record(now - at, TimeUnit.NANOSECONDS);
            }
        }
        published.increment(done.size());
        if (!park.isEmpty()) {
            parked.increment(park.size());
            park.forEach((id, reason) -> LOG.errorf("outbox event %d set aside, not publishable: %s", id, reason));
        }
    }

    private void refreshBacklog() {
        try {
            backlog = QuarkusTransaction.requiringNew().timeout(10).call(() ->
                    em.unwrap(Session.class).doReturningWork(c -> {
                        try (PreparedStatement ps = c.prepareStatement("select count(*) filter (where parked_at is"
                                + " null), min(created_at) filter (where parked_at is null), count(*) filter (where"
                                + " parked_at is not null), now() from outbox_event");
                             ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            var oldest = rs.getTimestamp(2);
                            var now = rs.getTimestamp(4);
                            Duration age = oldest == null ? Duration.ZERO
                                    : Duration.between(oldest.toInstant(), now.toInstant());
                            return new Backlog(rs.getLong(1), age.isNegative() ? Duration.ZERO : age, rs.getLong(3),
                                    lastError, Instant.now());
                        }
                    }));
        } catch (RuntimeException e) {
            Backlog b = backlog;
            backlog = new Backlog(b.pending(), b.oldest(), b.parked(), "backlog unknown: " + Failures.describe(e),
                    b.checkedAt());
        }
    }

    /**
     * The record of a row: the stored JSON as it is, keyed by the stored key. A row without a key (written before
     * keys were stored) is read back into its event to derive it.
     */
    private static ProducerRecord<String, byte[]> record(Row row) {
        EventType<?> type = EventTypes.byType(row.type).orElseThrow(() ->
                new IllegalArgumentException("unknown event type '" + row.type + "'"));
        if (row.key == null) {
            return CloudEventsKafka.toRecord(envelope(row));
        }
        return new ProducerRecord<>(type.topic().topicName(), null, row.key,
                row.payload.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                CloudEventsKafka.headers(row.eventId, row.source, row.type, row.eventTime, row.key));
    }

    private static EventEnvelope<?> envelope(Row row) {
        EventType<?> type = EventTypes.byType(row.type).orElseThrow(() ->
                new IllegalArgumentException("unknown event type '" + row.type + "'"));
        return build(row, type);
    }

    private static <T> EventEnvelope<T> build(Row row, EventType<T> type) {
        try {
            T data = Json.mapper().readValue(row.payload, type.dataClass());
            return new EventEnvelope<>(row.eventId, URI.create(row.source), type, row.eventTime, type.keyFor(data),
                    data);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("unreadable payload: " + e.getOriginalMessage(), e);
        }
    }
}
