package io.lifeboat.cloud;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class CloudCallsTest {

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

    private CloudCalls calls(int retries) {
        return new CloudCalls("os-1", "lifeboat.test", Duration.ofSeconds(2), retries, metrics);
    }

    private double counter(String name) {
        return metrics.get("lifeboat.test.api." + name).tag("source", "os-1").counter().count();
    }

    @Test
    void anIdempotentCallIsRetriedWhileTheCloudDoesNotAnswerOrAnswers5xx() {
        CloudCalls calls = calls(3);
        AtomicInteger made = new AtomicInteger();
        String answer = calls.idempotent("list servers", () -> switch (made.incrementAndGet()) {
            case 1 -> throw new IOException("connection reset");
            case 2 -> throw new CloudCallException("GET /servers → 503: busy", 503, null);
            default -> "ok";
        });
        assertThat(answer).isEqualTo("ok");
        assertThat(made).hasValue(3);
        assertThat(calls.count()).isEqualTo(3);
        assertThat(counter("calls")).isEqualTo(3);
        assertThat(counter("errors")).isEqualTo(2);
    }

    @Test
    void retriesAreBoundedAndTheLastFailureNamesTheCall() {
        CloudCalls calls = calls(2);
        AtomicInteger made = new AtomicInteger();
        CloudCallException e = catchThrowableOfType(() -> calls.idempotent("list hosts", () -> {
            made.incrementAndGet();
            throw new CloudCallException("GET /hosts → 500: oops", 500, null);
        }), CloudCallException.class);
        assertThat(made).hasValue(3);   // the call and 2 retries
        assertThat(e.status()).isEqualTo(500);
        assertThat(e.getMessage()).startsWith("list hosts: GET /hosts → 500");
        assertThat(e.ambiguous()).isTrue();
    }

    @Test
    void aRefusalIsNeverRetried() {
        CloudCalls calls = calls(3);
        AtomicInteger made = new AtomicInteger();
        CloudCallException e = catchThrowableOfType(() -> calls.idempotent("force down", () -> {
            made.incrementAndGet();
            throw new CloudCallException("PUT → 409: conflict", 409, null);
        }), CloudCallException.class);
        assertThat(made).hasValue(1);
        assertThat(e.refused()).isTrue();
    }

    @Test
    void a401IsNeitherRetriedNorAFailureNorARefusal() {
        CloudCalls calls = calls(3);
        AtomicInteger made = new AtomicInteger();
        CloudCallException e = catchThrowableOfType(() -> calls.idempotent("list", () -> {
            made.incrementAndGet();
            throw new CloudCallException("GET → 401", 401, null);
        }), CloudCallException.class);
        assertThat(made).hasValue(1);
        assertThat(e.unauthorized()).isTrue();
        assertThat(e.refused()).isFalse();
        assertThat(e.ambiguous()).isFalse();
        assertThat(counter("errors")).isZero();
    }

    @Test
    void aOnceOnlyCallIsNeverRepeatedEvenWithoutAnAnswer() {
        CloudCalls calls = calls(3);
        AtomicInteger made = new AtomicInteger();
        CloudCallException e = catchThrowableOfType(() -> calls.once("evacuate vm-1", () -> {
            made.incrementAndGet();
            throw new IOException("read timed out");
        }), CloudCallException.class);
        assertThat(made).hasValue(1);
        assertThat(e.status()).isEqualTo(CloudCallException.NO_ANSWER);
        assertThat(e.getMessage()).contains("evacuate vm-1").contains("read timed out");
    }

    @Test
    void aCallThatHangsEndsAtItsTimeoutAsNoAnswer() {
        CloudCalls calls = new CloudCalls("os-1", "lifeboat.test", Duration.ofMillis(200), 0, metrics);
        long start = System.nanoTime();
        CloudCallException e = catchThrowableOfType(() -> calls.once("hang", () -> {
            new java.util.concurrent.CountDownLatch(1).await();   // a call that never answers
            return null;
        }), CloudCallException.class);
        assertThat(e.status()).isEqualTo(CloudCallException.NO_ANSWER);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void theBreakerOpensOnRepeatedFailuresAndThenNothingIsSent() {
        CloudCalls calls = calls(0);
        AtomicInteger made = new AtomicInteger();
        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> calls.idempotent("read", () -> {
                made.incrementAndGet();
                throw new IOException("refused");
            })).isInstanceOf(CloudCallException.class);
        }
        assertThat(made).hasValue(10);
        CloudCallException e = catchThrowableOfType(() -> calls.idempotent("read again", () -> {
            made.incrementAndGet();
            return null;
        }), CloudCallException.class);
        assertThat(made).hasValue(10);   // not sent
        assertThat(e.status()).isEqualTo(CloudCallException.NOT_SENT);
        assertThat(e.refused()).isFalse();
        assertThat(e.ambiguous()).isFalse();
        assertThat(e.getMessage()).contains("circuit breaker is open");
    }

    @Test
    void actionsThatKeepFailingStopBeingSentWhileTheReadsThatCheckOnThemGoOn() {
        CloudCalls calls = calls(0);
        AtomicInteger evacuations = new AtomicInteger();
        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> calls.once("evacuate", () -> {
                evacuations.incrementAndGet();
                throw new CloudCallException("POST → 503", 503, null);
            })).isInstanceOf(CloudCallException.class);
        }
        CloudCallException e = catchThrowableOfType(() -> calls.once("evacuate vm-11", () -> {
            evacuations.incrementAndGet();
            return null;
        }), CloudCallException.class);
        assertThat(evacuations).hasValue(10);
        assertThat(e.status()).isEqualTo(CloudCallException.NOT_SENT);
        assertThat((String) calls.idempotent("read server vm-1", () -> "ACTIVE")).isEqualTo("ACTIVE");
    }

    @Test
    void refusalsDoNotOpenTheBreaker() {
        CloudCalls calls = calls(0);
        for (int i = 0; i < 20; i++) {
            assertThatThrownBy(() -> calls.idempotent("read", () -> {
                throw new CloudCallException("404", 404, null);
            })).isInstanceOf(CloudCallException.class);
        }
        assertThat((String) calls.once("read", () -> "answered")).isEqualTo("answered");
    }

    @Test
    void aDetailReadFailsAloneAndNeverOpensTheBreaker() {
        CloudCalls calls = calls(3);
        AtomicInteger made = new AtomicInteger();
        for (int i = 0; i < 20; i++) {
            assertThatThrownBy(() -> calls.detail("read NUMA nodes", () -> {
                made.incrementAndGet();
                throw new IOException("gone");
            })).isInstanceOf(CloudCallException.class);
        }
        assertThat(made).hasValue(20);   // once each
        assertThat((String) calls.idempotent("list", () -> "answered")).isEqualTo("answered");
    }

    @Test
    void a401RenewsTheSessionAndMakesTheCallOnceMoreAndOnlyOnce() {
        CloudCalls calls = calls(3);
        AtomicInteger made = new AtomicInteger();
        AtomicInteger renewed = new AtomicInteger();
        String answer = calls.reauthenticatingOnce("evacuate vm-1", renewed::incrementAndGet, () -> calls.once(
                "evacuate vm-1", () -> {
                    if (made.incrementAndGet() == 1) {
                        throw new CloudCallException("POST → 401", 401, null);
                    }
                    return "accepted";
                }));
        assertThat(answer).isEqualTo("accepted");
        assertThat(made).hasValue(2);
        assertThat(renewed).hasValue(1);
        assertThat(counter("reauthentications")).isEqualTo(1);
        made.set(0);
        CloudCallException e = catchThrowableOfType(() -> calls.reauthenticatingOnce("list", renewed::incrementAndGet,
                () -> calls.idempotent("list", () -> {
                    made.incrementAndGet();
                    throw new CloudCallException("GET → 401", 401, null);
                })), CloudCallException.class);
        assertThat(made).as("the call and one more, never a third").hasValue(2);
        assertThat(e.unauthorized()).isTrue();
    }

    @Test
    void theStatusOfTheSdksExceptionsIsReadBack() {
        assertThat(CloudCalls.status(new org.ovirt.engine.sdk4.Error(
                "Fault reason is \"Operation Failed\". HTTP response code is \"409\"."))).isEqualTo(409);
        assertThat(CloudCalls.status(new org.ovirt.engine.sdk4.Error("HTTP response code is 401."))).isEqualTo(401);
        assertThat(CloudCalls.status(new org.ovirt.engine.sdk4.Error("Connection refused"))).isZero();
        assertThat(CloudCalls.status(new org.openstack4j.api.exceptions.ClientResponseException("nope", 403)))
                .isEqualTo(403);
        assertThat(CloudCalls.status(new org.openstack4j.api.exceptions.ConnectionException("down", 0, null)))
                .isZero();
    }
}
