package io.lifeboat.evacuation.recovery;

import io.lifeboat.evacuation.config.EvacuationConfig;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What bounds a run (DESIGN.md, "bounded and honest"): a deadline from its start, a number of consecutive failures of
 * one step, and the backoff between a failing step's tries. The engine asks; this answers, without a clock, a
 * database or a cloud, so that the limits are unit-tested.
 *
 * @param deadline     how long a run may take from its start ({@code run-deadline})
 * @param stepAttempts consecutive failures of one step before the run ends FAILED ({@code step-attempts})
 * @param firstBackoff the wait after a step's first failure, doubled after each further one
 * @param maxBackoff   the longest wait between two tries of a step
 */
record RunLimits(Duration deadline, int stepAttempts, Duration firstBackoff, Duration maxBackoff) {

    static final Duration DEFAULT_DEADLINE = Duration.ofMinutes(30);
    static final int DEFAULT_STEP_ATTEMPTS = 5;

    RunLimits {
        if (deadline.isNegative() || deadline.isZero() || stepAttempts < 1 || firstBackoff.isNegative()
                || maxBackoff.compareTo(firstBackoff) < 0) {
            throw new IllegalArgumentException("run limits out of range: deadline " + deadline + ", step attempts "
                    + stepAttempts + ", backoff " + firstBackoff + " to " + maxBackoff);
        }
    }

    /** The source's limits (a run of a source no longer configured keeps the defaults). */
    static RunLimits of(Optional<EvacuationConfig.Source> source) {
        return new RunLimits(source.map(EvacuationConfig.Source::runDeadline).orElse(DEFAULT_DEADLINE),
                source.map(EvacuationConfig.Source::stepAttempts).orElse(DEFAULT_STEP_ATTEMPTS),
                Duration.ofSeconds(1), Duration.ofSeconds(30));
    }

    /** Whether a run that started at {@code since} (null: not started) is past its deadline at {@code now}. */
    boolean pastDeadline(Instant since, Instant now) {
        return since != null && !now.isBefore(since.plus(deadline));
    }

    /**
     * After the {@code failures}-th consecutive failure of a step: how long to wait before its next try (the first
     * backoff doubled per failure, at most the longest), or empty when the step has had all its attempts and the run
     * ends FAILED.
     */
    Optional<Duration> retryAfter(int failures) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures start at 1, not " + failures);
        }
        if (failures >= stepAttempts) {
            return Optional.empty();
        }
        Duration wait = firstBackoff;
        for (int i = 1; i < failures && wait.compareTo(maxBackoff) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return Optional.of(wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait);
    }
}
