package io.lifeboat.evacuation.recovery;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunLimitsTest {

    private static final Instant START = Instant.parse("2026-12-02T10:00:00Z");

    @Test
    void aRunIsPastItsDeadlineFromTheInstantTheDeadlineEnds() {
        RunLimits limits = new RunLimits(Duration.ofMinutes(30), 5, Duration.ofSeconds(1), Duration.ofSeconds(30));
        assertThat(limits.pastDeadline(START, START)).isFalse();
        assertThat(limits.pastDeadline(START, Instant.parse("2026-12-02T10:29:59.999Z"))).isFalse();
        assertThat(limits.pastDeadline(START, Instant.parse("2026-12-02T10:30:00Z"))).isTrue();
        assertThat(limits.pastDeadline(START, Instant.parse("2026-12-02T11:00:00Z"))).isTrue();
        assertThat(limits.pastDeadline(null, Instant.parse("2027-01-01T00:00:00Z"))).as("not started").isFalse();
    }

    @Test
    void aFailingStepIsRetriedWithADoublingBackoffUntilItsAttemptsAreSpent() {
        RunLimits limits = new RunLimits(Duration.ofMinutes(30), 5, Duration.ofSeconds(1), Duration.ofSeconds(30));
        List<Optional<Duration>> waits = new ArrayList<>();
        for (int failures = 1; failures <= 6; failures++) {
            waits.add(limits.retryAfter(failures));
        }
        // Five attempts: four waits between them, then the run gives up (and stays given up).
        assertThat(waits).containsExactly(Optional.of(Duration.ofSeconds(1)), Optional.of(Duration.ofSeconds(2)),
                Optional.of(Duration.ofSeconds(4)), Optional.of(Duration.ofSeconds(8)), Optional.empty(),
                Optional.empty());
    }

    @Test
    void theBackoffStopsGrowingAtItsLongestWait() {
        RunLimits limits = new RunLimits(Duration.ofHours(2), 100, Duration.ofSeconds(1), Duration.ofSeconds(30));
        assertThat(limits.retryAfter(5)).contains(Duration.ofSeconds(16));
        assertThat(limits.retryAfter(6)).contains(Duration.ofSeconds(30));
        assertThat(limits.retryAfter(99)).contains(Duration.ofSeconds(30));
        assertThat(limits.retryAfter(100)).isEmpty();
    }

    @Test
    void oneAttemptMeansTheFirstFailureEndsTheRun() {
        RunLimits limits = new RunLimits(Duration.ofMinutes(1), 1, Duration.ofSeconds(1), Duration.ofSeconds(30));
        assertThat(limits.retryAfter(1)).isEmpty();
    }

    @Test
    void aSourceNoLongerConfiguredKeepsTheDefaultsAndNonsenseIsRefused() {
        RunLimits limits = RunLimits.of(Optional.empty());
        assertThat(limits.deadline()).isEqualTo(Duration.ofMinutes(30));
        assertThat(limits.stepAttempts()).isEqualTo(5);
        assertThatThrownBy(() -> new RunLimits(Duration.ZERO, 5, Duration.ofSeconds(1), Duration.ofSeconds(30)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RunLimits(Duration.ofMinutes(1), 0, Duration.ofSeconds(1),
                Duration.ofSeconds(30))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> limits.retryAfter(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
