package io.lifeboat.service.retention;

import io.lifeboat.service.pipeline.Failures;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.hibernate.Session;
import org.jboss.logging.Logger;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Purges per-event bookkeeping past its retention: the inbox ({@code processed_event}) and the tables a service
 * names in {@code lifeboat.retention.tables}. Deletes in small batches, each its own transaction, so ingestion never
 * waits behind it.
 */
@ApplicationScoped
public class Retention {

    private static final Logger LOG = Logger.getLogger(Retention.class);
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    @Inject
    RetentionConfig config;

    @Inject
    EntityManager em;

    @Inject
    MeterRegistry registry;

    private volatile boolean stopping;

    void onStop(@Observes ShutdownEvent e) {
        stopping = true;
    }

    @Scheduled(every = "${lifeboat.retention.interval:10m}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            purgeAll(Instant.now());
        } catch (RuntimeException e) {
            LOG.warnf("retention purge failed, will run again: %s", Failures.describe(e));
        }
    }

    /** Purges every table; returns rows deleted per table. */
    public Map<String, Long> purgeAll(Instant now) {
        Map<String, Long> deleted = new LinkedHashMap<>();
        deleted.put("processed_event", purge("processed_event", "processed_at", now.minus(config.processedEvents())));
        config.tables().forEach((table, t) -> deleted.put(table, purge(table, t.timeColumn(),
                now.minus(t.maxAge()))));
        return deleted;
    }

    long purge(String table, String column, Instant cutoff) {
        if (!NAME.matcher(table).matches() || !NAME.matcher(column).matches()) {
            throw new IllegalArgumentException("not a table or column name: " + table + "." + column);
        }
        String sql = "delete from " + table + " where ctid = any(array(select ctid from " + table + " where " + column
                + " < ? limit " + config.batchSize() + "))";
        long total = 0;
        while (!stopping) {
            int n = QuarkusTransaction.requiringNew().timeout(60).call(() ->
                    em.unwrap(Session.class).doReturningWork(c -> {
                        try (PreparedStatement ps = c.prepareStatement(sql)) {
                            ps.setTimestamp(1, Timestamp.from(cutoff));
                            return ps.executeUpdate();
                        }
                    }));
            total += n;
            if (n < config.batchSize()) {
                break;
            }
        }
        if (total > 0) {
            Counter.builder("lifeboat.retention.purged").description("Rows purged past their retention")
                    .tag("table", table).register(registry).increment(total);
            LOG.infof("retention: %d row(s) of %s older than %s purged", total, table, cutoff);
        }
        return total;
    }

    /** For tests and operators: how long a table keeps rows. */
    public Duration processedEventsRetention() {
        return config.processedEvents();
    }
}
