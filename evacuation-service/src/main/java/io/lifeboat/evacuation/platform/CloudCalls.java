package io.lifeboat.evacuation.platform;

import io.micrometer.core.instrument.MeterRegistry;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Calls to one source's cloud. Reads and idempotent writes are retried with exponential backoff and jitter; actions
 * that must not happen twice (evacuate, start) are made once, and an unanswered one is checked, not repeated.
 */
public final class CloudCalls {

    private static final Logger LOG = Logger.getLogger(CloudCalls.class);

    private final String sourceId;
    private final int retries;
    private final MeterRegistry metrics;

    public CloudCalls(String sourceId, int retries, MeterRegistry metrics) {
        this.sourceId = sourceId;
        this.retries = retries;
        this.metrics = metrics;
    }

    /** A read or an idempotent write: retried on no answer or a 5xx. */
    public <T> T idempotent(String what, Callable<T> call) {
        long delay = 250;
        for (int attempt = 0; ; attempt++) {
            try {
                return once(what, call);
            } catch (CloudCallException e) {
                if (!e.ambiguous() || attempt >= retries) {
                    throw e;
                }
                LOG.debugf("%s: %s failed (%s), retry %d in %d ms", sourceId, what, e.getMessage(), attempt + 1, delay);
                sleep(delay + ThreadLocalRandom.current().nextLong(delay / 2 + 1));
                delay = Math.min(delay * 2, 10_000);
            }
        }
    }

    /** The cloud rejected the session's token (401) and the client authenticated again: counted, never a failure. */
    public void reauthenticated(String what) {
        LOG.infof("%s: %s answered 401 (token expired or revoked): authenticated again", sourceId, what);
        metrics.counter("lifeboat.evacuation.api.reauthentications", "source", sourceId).increment();
    }

    /** One call, never repeated here. */
    public <T> T once(String what, Callable<T> call) {
        metrics.counter("lifeboat.evacuation.api.calls", "source", sourceId).increment();
        try {
            return call.call();
        } catch (CloudCallException e) {
            metrics.counter("lifeboat.evacuation.api.errors", "source", sourceId).increment();
            throw new CloudCallException(what + ": " + e.getMessage(), e.status(), e);
        } catch (Exception e) {
            metrics.counter("lifeboat.evacuation.api.errors", "source", sourceId).increment();
            String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": "
                    + e.getMessage();
            throw new CloudCallException(what + ": " + m, 0, e);
        }
    }

    public static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CloudCallException("interrupted", 0, e);
        }
    }

    public static void sleep(Duration d) {
        sleep(d.toMillis());
    }
}
