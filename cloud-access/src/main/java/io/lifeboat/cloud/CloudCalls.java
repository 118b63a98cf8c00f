package io.lifeboat.cloud;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.faulttolerance.api.Guard;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every call Lifeboat makes to one source's cloud, on SmallRye Fault Tolerance, in one of three forms:
 * <ul>
 *   <li>{@link #idempotent}: a read or an idempotent write. A timeout per attempt, retries with exponential backoff
 *       and jitter while the cloud does not answer or answers 5xx, and the source's circuit breaker;</li>
 *   <li>{@link #once}: an action that must not happen twice (evacuate, start, migrate, a restart fence). The timeout
 *       and the circuit breaker, never a retry: an unanswered one is checked by its caller, not repeated;</li>
 *   <li>{@link #detail}: one item's detail read (a VM's NUMA nodes), once, with the timeout only: its failure belongs
 *       to that item (a VM deleted since it was listed answers 404), so it never opens the breaker for the rest.</li>
 * </ul>
 * Each of the first two forms has its own breaker (the retries wrap it, so a source that stopped answering is not
 * hammered by retries either): actions that keep failing stop being sent, while the reads that check on them go on. A refusal (4xx) is the cloud's verdict on the call: not retried, not counted by the breaker. A
 * 401 is neither: the session's owner (Keystone session, oVirt connection) authenticates again and makes the call once
 * more. Whatever escapes is a {@link CloudCallException} naming the call.
 */
public final class CloudCalls {

    private static final Logger LOG = Logger.getLogger(CloudCalls.class);
    private static final Pattern OVIRT_STATUS = Pattern.compile("HTTP response code is \"?(\\d{3})");

    private final String sourceId;
    private final Guard breaker;
    private final Guard onceBreaker;
    private final Guard retries;
    private final Guard detail;
    private final AtomicLong calls = new AtomicLong();
    private final Counter callCounter;
    private final Counter errorCounter;
    private final Counter reauthCounter;

    /**
     * @param metricPrefix e.g. {@code lifeboat.collector}: the counters are {@code <prefix>.api.calls},
     *                     {@code .api.errors} and {@code .api.reauthentications}, tagged with the source
     */
    public CloudCalls(String sourceId, String metricPrefix, Duration timeout, int retries, MeterRegistry metrics) {
        this.sourceId = sourceId;
        long ms = Math.max(1, timeout.toMillis());
        this.breaker = Guard.create()
                .withDescription("cloud calls of source " + sourceId)
                .withTimeout().duration(ms, ChronoUnit.MILLIS).done()
                .withCircuitBreaker().requestVolumeThreshold(10).failureRatio(0.5).delay(30, ChronoUnit.SECONDS)
                .successThreshold(2).when(CloudCalls::countsAgainstBreaker).done()
                .build();
        this.onceBreaker = Guard.create()
                .withDescription("once-only calls of source " + sourceId)
                .withTimeout().duration(ms, ChronoUnit.MILLIS).done()
                .withCircuitBreaker().requestVolumeThreshold(10).failureRatio(0.5).delay(30, ChronoUnit.SECONDS)
                .successThreshold(2).when(CloudCalls::countsAgainstBreaker).done()
                .build();
        this.retries = Guard.create()
                .withDescription("retries of source " + sourceId)
                .withRetry().maxRetries(Math.max(0, retries)).delay(250, ChronoUnit.MILLIS).jitter(100, ChronoUnit.MILLIS)
                .maxDuration(ms * (retries + 1) + 60_000, ChronoUnit.MILLIS)
                .whenException(CloudCalls::retryable)
                .withExponentialBackoff().factor(2).maxDelay(10, ChronoUnit.SECONDS).done().done()
                .build();
        this.detail = Guard.create()
                .withDescription("detail reads of source " + sourceId)
                .withTimeout().duration(ms, ChronoUnit.MILLIS).done()
                .build();
        this.callCounter = Counter.builder(metricPrefix + ".api.calls").tag("source", sourceId)
                .description("Calls made to the source's cloud API").register(metrics);
        this.errorCounter = Counter.builder(metricPrefix + ".api.errors").tag("source", sourceId)
                .description("Calls to the source's cloud API that failed (no answer, 4xx or 5xx; not a 401)")
                .register(metrics);
        this.reauthCounter = Counter.builder(metricPrefix + ".api.reauthentications").tag("source", sourceId)
                .description("Calls answered 401 (token expired or revoked) and made again after authenticating")
                .register(metrics);
    }

    /** A read or an idempotent write: timeout, retries with backoff on no answer or a 5xx, circuit breaker. */
    public <T> T idempotent(String what, Callable<T> call) {
        try {
            return cast(retries.call(() -> breaker.call(counted(call), Object.class), Object.class));
        } catch (Exception e) {
            throw failure(what, e);
        }
    }

    /** An action made at most once here: timeout and circuit breaker (the actions' own), no retry. */
    public <T> T once(String what, Callable<T> call) {
        try {
            return cast(onceBreaker.call(counted(call), Object.class));
        } catch (Exception e) {
            throw failure(what, e);
        }
    }

    /** One item's detail: once, with the timeout, outside the breaker. */
    public <T> T detail(String what, Callable<T> call) {
        try {
            return cast(detail.call(counted(call), Object.class));
        } catch (Exception e) {
            throw failure(what, e);
        }
    }

    /**
     * Makes a call that carries a session (a Keystone token, an oVirt SSO token). A 401 means the session expired or
     * was revoked and the cloud did not process the call: the session is renewed, the re-authentication counted, and
     * the call made once more (safe even for an action). Never retried beyond that.
     */
    public <T> T reauthenticatingOnce(String what, Runnable renewSession, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (CloudCallException e) {
            if (!e.unauthorized()) {
                throw e;
            }
            renewSession.run();
            reauthenticated(what);
            return call.get();
        }
    }

    /** A call answered 401 and is made again after authenticating: counted, never a failure. */
    public void reauthenticated(String what) {
        LOG.infof("source %s: %s answered 401 (token expired or revoked): authenticated again", sourceId, what);
        reauthCounter.increment();
    }

    /** Calls made since this was built (attempts, retries included). */
    public long count() {
        return calls.get();
    }

    public String sourceId() {
        return sourceId;
    }

    private Callable<Object> counted(Callable<?> call) {
        return () -> {
            calls.incrementAndGet();
            callCounter.increment();
            try {
                return call.call();
            } catch (Exception e) {
                if (status(e) != 401) {
                    errorCounter.increment();
                }
                throw e;
            }
        };
    }

    private static CloudCallException failure(String what, Exception e) {
        String message = what + ": " + describe(e);
        return new CloudCallException(message, status(e), e);
    }

    /**
     * What is known of a failed call's effect, whatever threw it: our own exception, openstack4j's (with its HTTP
     * status), the oVirt SDK's (the status only in its message), a timeout, an open breaker, an I/O error.
     */
    public static int status(Throwable e) {
        if (e instanceof CloudCallException c) {
            return c.status();
        }
        if (e instanceof CircuitBreakerOpenException) {
            return CloudCallException.NOT_SENT;
        }
        if (e instanceof TimeoutException || e instanceof IOException || e instanceof InterruptedException) {
            return CloudCallException.NO_ANSWER;
        }
        if (e instanceof org.openstack4j.api.exceptions.ResponseException r) {
            return r.getStatus() > 0 ? r.getStatus() : CloudCallException.NO_ANSWER;
        }
        if (e instanceof org.ovirt.engine.sdk4.Error) {
            return ovirtStatus(e.getMessage());
        }
        return CloudCallException.NO_ANSWER;
    }

    /**
     * The oVirt SDK reports every engine fault as {@code sdk4.Error} with the HTTP status only in its message
     * ({@code ... HTTP response code is "409". ...}); a fault body without one is a refusal; none: no answer.
     */
    public static int ovirtStatus(String message) {
        if (message == null) {
            return CloudCallException.NO_ANSWER;
        }
        Matcher m = OVIRT_STATUS.matcher(message);
        if (m.find()) {
            return Integer.parseInt(m.group(1));
        }
        return message.contains("Fault reason") || message.contains("Fault detail") ? 409
                : CloudCallException.NO_ANSWER;
    }

    private static boolean retryable(Throwable e) {
        int s = status(e);
        return s == CloudCallException.NO_ANSWER || s >= 500;
    }

    private static boolean countsAgainstBreaker(Throwable e) {
        return retryable(e) && !(e instanceof CircuitBreakerOpenException);
    }

    static String describe(Throwable e) {
        if (e instanceof CloudCallException) {
            return e.getMessage();
        }
        if (e instanceof CircuitBreakerOpenException) {
            return "not sent: the source's circuit breaker is open after repeated failures";
        }
        String m = e.getMessage();
        String type = e.getClass().getSimpleName();
        return m == null || m.isBlank() ? type : type + ": " + m;
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object o) {
        return (T) o;
    }

    /** Sleeps; an interrupt ends the wait with a {@link CloudCallException} (the thread stays interrupted). */
    public static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CloudCallException("interrupted", CloudCallException.NOT_SENT, e);
        }
    }
}
