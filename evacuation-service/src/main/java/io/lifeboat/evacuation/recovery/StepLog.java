package io.lifeboat.evacuation.recovery;

import io.lifeboat.common.recovery.RecoveryStep;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.UUID;

/** Every attempt of every step of a run, with its outcome and progress line (shown in {@code GET /runs/{id}}). */
@ApplicationScoped
public class StepLog {

    /** Records the start of an attempt of a step; returns its id. */
    @Transactional
    long beginStep(UUID runId, RecoveryStep step) {
        StepAttempt a = new StepAttempt();
        a.runId = runId;
        a.step = step;
        a.attempt = (int) StepAttempt.count("runId = ?1 and step = ?2", runId, step) + 1;
        a.startedAt = Instant.now();
        a.persist();
        return a.id;
    }

    @Transactional
    void endStep(long attemptId, StepAttempt.Outcome outcome, String detail) {
        StepAttempt a = StepAttempt.findById(attemptId);
        if (a != null && a.endedAt == null) {
            a.endedAt = Instant.now();
            a.outcome = outcome;
            if (detail != null) {
                a.detail = detail.length() > 2000 ? detail.substring(0, 2000) : detail;
            }
        }
    }

    /** The progress line of a step still going (moves: how many are done). */
    @Transactional
    void noteProgress(long attemptId, String detail) {
        StepAttempt a = StepAttempt.findById(attemptId);
        if (a != null && a.endedAt == null && !detail.equals(a.detail)) {
            a.detail = detail;
        }
    }

    /** "7 of 10 moved, 0 failed, 3 skipped, 0 in flight, 0 waiting" for a run's moves. */
    @Transactional
    String progress(UUID runId) {
        return InstanceMove.tally(runId).line();
    }

}
