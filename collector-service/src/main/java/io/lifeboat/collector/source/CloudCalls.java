package io.lifeboat.collector.source;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.faulttolerance.api.Guard;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every call a source client makes to its cloud goes through here: a timeout, retries with exponential backoff and
 * jitter, and a circuit breaker per source (so a dead engine is not hammered), plus counting for metrics and the
 * sources endpoint.
 */
public final class CloudCalls {

    private final Guard guard;
    /** Per-item detail reads: a timeout only, outside the source's retries and circuit breaker. */
    private final Guard detailGuard;
    private final AtomicLong calls = new AtomicLong();
    private final Counter counter;

    public CloudCalls(String sourceId, Duration timeout, int retries, MeterRegistry metrics) {
        this.guard = Guard.create()
                .withDescription("cloud calls of source " + sourceId)
                .withTimeout().duration(timeout.toMillis(), ChronoUnit.MILLIS).done()
                .withRetry().maxRetries(retries).delay(500, ChronoUnit.MILLIS).jitter(200, ChronoUnit.MILLIS)
                .maxDuration(Math.max(timeout.toMillis() * (retries + 1) + 30_000, 60_000), ChronoUnit.MILLIS)
                .abortOn(NotRetryable.class)
                .withExponentialBackoff().factor(2).maxDelay(10, ChronoUnit.SECONDS).done().done()
                .withCircuitBreaker().requestVolumeThreshold(10).failureRatio(0.5).delay(30, ChronoUnit.SECONDS)
                .successThreshold(2).skipOn(NotRetryable.class).done()
                .build();
        this.detailGuard = Guard.create()
                .withDescription("detail reads of source " + sourceId)
                .withTimeout().duration(timeout.toMillis(), ChronoUnit.MILLIS).done()
                .build();
        this.counter = Counter.builder("lifeboat.collector.api.calls").tag("source", sourceId)
                .description("Calls made to the source's cloud API").register(metrics);
    }

    /**
     * Runs a cloud call.
     *
     * @param what a short description for error messages, e.g. "list VMs page 2"
     */
    public <T> T call(String what, Callable<T> call) {
        try {
            Callable<Object> counted = () -> {
                calls.incrementAndGet();
                counter.increment();
                return call.call();
            };
            return cast(guard.call(counted, Object.class));
        } catch (NotRetryable e) {
            throw e;
        } catch (Exception e) {
            throw new CloudCallException(what + ": " + describe(e), e);
        }
    }

    /**
     * A read of one item's detail (a VM's NUMA nodes), once, with the timeout: its failure belongs to that item (a VM
     * deleted since it was listed answers 404), so it is neither retried nor counted by the source's circuit breaker,
     * which would otherwise stop the listings and fast signals of every other item.
     */
    public <T> T detail(String what, Callable<T> call) {
        try {
            Callable<Object> counted = () -> {
                calls.incrementAndGet();
                counter.increment();
                return call.call();
            };
            return cast(detailGuard.call(counted, Object.class));
        } catch (Exception e) {
            throw new CloudCallException(what + ": " + describe(e), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object o) {
        return (T) o;
    }

    public long count() {
        return calls.get();
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        String type = e.getClass().getSimpleName();
        return m == null || m.isBlank() ? type : type + ": " + m;
    }

    /** A failed cloud call, after retries. The message never contains credentials. */
    public static class CloudCallException extends RuntimeException {
        public CloudCallException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A failure retrying cannot fix (bad credentials, a malformed answer); not counted by the circuit breaker. */
    public static class NotRetryable extends RuntimeException {
        public NotRetryable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
