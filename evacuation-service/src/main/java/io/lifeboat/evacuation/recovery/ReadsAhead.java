package io.lifeboat.evacuation.recovery;

import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * Reads started when a run starts, for a step or a prediction that needs them later ({@link Step#readAhead}): by run,
 * taken once, and only while fresh. A read that failed, or is older than its life, is absent: the one that needs it
 * reads again.
 */
public final class ReadsAhead<T> {

    private static final Logger LOG = Logger.getLogger(ReadsAhead.class);

    private final String what;
    private final Duration life;
    private final Executor executor;
    private final Map<UUID, Entry<T>> byRun = new ConcurrentHashMap<>();

    private record Entry<T>(Instant at, CompletableFuture<T> value) {
    }

    public ReadsAhead(String what, Duration life, Executor executor) {
        this.what = what;
        this.life = life;
        this.executor = executor;
    }

    /**
     * Starts the run's read, unless one is under way; drops those nobody took in time. When the executor has no room
     * for it, none is started: the one that needs it reads then.
     */
    public void start(UUID runId, Supplier<T> read) {
        Instant now = Instant.now();
        byRun.values().removeIf(e -> e.at().plus(life).isBefore(now));
        try {
            byRun.computeIfAbsent(runId, id -> new Entry<>(now, CompletableFuture.supplyAsync(read, executor)));
        } catch (RejectedExecutionException ex) {
            LOG.debugf("run %s: no room to read the %s ahead; read when needed", runId, what);
        }
    }

    /** Whether the run has a read, fresh, done or under way (it may still fail). */
    public boolean has(UUID runId) {
        Entry<T> e = byRun.get(runId);
        return e != null && !e.at().plus(life).isBefore(Instant.now());
    }

    /** The run's read, waiting for it if it is under way; empty when there is none, it is stale, or it failed. */
    public Optional<T> take(UUID runId) {
        Entry<T> e = byRun.remove(runId);
        if (e == null || e.at().plus(life).isBefore(Instant.now())) {
            return Optional.empty();
        }
        try {
            return Optional.of(e.value().join());
        } catch (RuntimeException ex) {
            LOG.debugf("run %s: the %s read ahead failed (%s); read again", runId, what, ex.getMessage());
            return Optional.empty();
        }
    }
}
