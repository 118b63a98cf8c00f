package io.lifeboat.evacuation.recovery;

import io.lifeboat.common.recovery.MoveState;
import io.lifeboat.evacuation.audit.AuditLog;
import io.lifeboat.evacuation.config.EvacuationConfig;
import io.lifeboat.evacuation.episode.HostFailure;
import io.lifeboat.cloud.CloudCallException;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The one place where a move changes state, each change its own transaction, committed before the next cloud call:
 * PENDING → ONGOING (the attempt counted) → SUCCEEDED, FAILED or SKIPPED, or back to PENDING after a failed attempt
 * or a try without effect, bounded. Every change is published on the recovery topic and audited.
 */
@ApplicationScoped
public class MoveTransitions {

    @Inject
    EntityManager em;

    @Inject
    RecoveryRuns runs;

    @Inject
    EpisodeTransitions lifecycle;

    @Inject
    AuditLog audit;

    @Inject
    MeterRegistry metrics;

    @Transactional
    List<InstanceMove> openMoves(UUID runId) {
        return InstanceMove.list("runId = ?1 and state in ?2 order by ordinal", runId,
                List.of(MoveState.PENDING, MoveState.ONGOING));
    }

    @Transactional
    boolean hasMoves(UUID runId) {
        return InstanceMove.count("runId", runId) > 0;
    }

    /** How a cloud call made once ended. */
    enum Outcome { ACCEPTED, REFUSED, UNANSWERED }

    /**
     * Makes a move's cloud call (evacuate, start, migrate) once, with the ONGOING mark already committed, and records
     * it. A refusal fails the attempt; no answer leaves the move ONGOING, to be checked, never repeated blindly.
     */
    Outcome callOnce(RecoveryRun run, EvacuationConfig.Source src, InstanceMove m, String where, Runnable call) {
        try {
            call.run();
            noteCall(run.id);
            audit.record("system", m.action, m.vmKey, false, "ACCEPTED", "attempt " + m.attempt + ", " + where);
            return Outcome.ACCEPTED;
        } catch (CloudCallException e) {
            if (e.refused()) {
                audit.record("system", m.action, m.vmKey, false, "REFUSED", e.getMessage());
                attemptFailed(run, src, m.id, m.action + " refused: " + e.getMessage());
                return Outcome.REFUSED;
            }
            return Outcome.UNANSWERED;
        }
    }

    @Transactional
    InstanceMove move(long id) {
        return InstanceMove.findById(id);
    }

    /** PENDING → ONGOING with the attempt counted, committed before the call; false if someone else did it. */
    @Transactional
    boolean markOngoing(long id, int attempt, String target) {
        Instant now = Instant.now();
        int n = em.createQuery("update InstanceMove m set m.state = :ongoing, m.attempt = m.attempt + 1,"
                        + " m.calledAt = :now, m.startedAt = coalesce(m.startedAt, :now), m.targetHost = :target"
                        + " where m.id = :id and m.state = :pending and m.attempt = :attempt")
                .setParameter("ongoing", MoveState.ONGOING).setParameter("now", now).setParameter("target", target)
                .setParameter("id", id).setParameter("pending", MoveState.PENDING).setParameter("attempt", attempt)
                .executeUpdate();
        if (n == 1) {
            em.clear();
            InstanceMove m = InstanceMove.findById(id);
            RecoveryRun run = RecoveryRun.findById(m.runId);
            runs.publishMove(run, m);
        }
        return n == 1;
    }

    @Transactional
    void noteCall(UUID runId) {
        Instant now = Instant.now();
        // Concurrent moves race for the first call: only the one whose update lands records the milestone.
        int first = em.createQuery("update RecoveryRun r set r.firstCallAt = :now where r.id = :id and"
                + " r.firstCallAt is null").setParameter("now", now).setParameter("id", runId).executeUpdate();
        em.createQuery("update RecoveryRun r set r.lastCallAt = :now where r.id = :id").setParameter("now", now)
                .setParameter("id", runId).executeUpdate();
        if (first == 1) {
            RecoveryRun run = RecoveryRun.findById(runId);
            HostFailure f = run.episodeId == null ? null : HostFailure.findById(run.episodeId);
            if (f != null) {
                lifecycle.timer("first_recovery_call", f, Duration.between(f.firstEvidence(), now));
            }
        }
    }

    @Transactional
    void end(RecoveryRun run, long moveId, MoveState state, String targetHost, String reason) {
        InstanceMove m = InstanceMove.findById(moveId);
        if (m.state == MoveState.SUCCEEDED || m.state == MoveState.FAILED || m.state == MoveState.SKIPPED) {
            return;
        }
        m.state = state;
        if (targetHost != null) {
            m.targetHost = targetHost;
        }
        m.reason = reason;
        m.finishedAt = Instant.now();
        runs.publishMove(RecoveryRun.findById(run.id), m);
        String outcome = switch (state) {
            case SUCCEEDED -> "evacuated";
            case FAILED -> "failed";
            default -> "skipped";
        };
        metrics.counter("lifeboat.evacuation.instances", "outcome", outcome, "platform", run.platform).increment();
        audit.record("system", m.action + "-result", m.vmKey, false, state.name(), (targetHost == null ? ""
                : "on " + targetHost + (reason == null ? "" : "; ")) + (reason == null ? "" : reason));
    }

    /** A failed attempt: tried again (on the next reserved host, if any) until the attempts run out. */
    @Transactional
    void attemptFailed(RecoveryRun run, EvacuationConfig.Source src, long moveId, String reason) {
        InstanceMove m = InstanceMove.findById(moveId);
        if (m.state != MoveState.ONGOING) {
            return;
        }
        if (m.attempt < src.maxAttempts()) {
            m.state = MoveState.PENDING;
            m.requestedTarget = null;
            m.reason = "attempt " + m.attempt + " failed: " + reason + "; trying again";
            runs.publishMove(RecoveryRun.findById(run.id), m);
        } else {
            end(run, moveId, MoveState.FAILED, null, "failed after " + m.attempt + " attempts; last: " + reason);
        }
    }

    /** The call did not take effect: back to PENDING without counting the attempt, after a backoff, bounded. */
    void repend(RecoveryRun run, EvacuationConfig.Source src, long moveId, String reason) {
        retryLater(run, src, moveId, MoveState.ONGOING, reason);
    }

    /**
     * A try of a move in state {@code from} that did not take effect: counted; PENDING again after a backoff (the poll
     * interval, doubling, at most 30 s) while {@code max-call-retries} lasts, then FAILED with the reason.
     */
    @Transactional
    void retryLater(RecoveryRun run, EvacuationConfig.Source src, long moveId, MoveState from, String reason) {
        InstanceMove m = InstanceMove.findById(moveId);
        if (m.state != from) {
            return;
        }
        m.callRetries++;
        if (m.callRetries > src.maxCallRetries()) {
            end(run, moveId, MoveState.FAILED, null, "gave up after " + m.callRetries + " tries without effect;"
                    + " last: " + reason);
            return;
        }
        if (from == MoveState.ONGOING) {
            m.attempt = Math.max(0, m.attempt - 1);
        }
        m.state = MoveState.PENDING;
        Duration backoff = src.pollInterval().multipliedBy(1L << Math.min(m.callRetries - 1, 16));
        m.notBefore = Instant.now().plus(backoff.compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30)
                : backoff);
        m.reason = reason + " (try " + m.callRetries + " of " + src.maxCallRetries() + " without effect)";
        runs.publishMove(RecoveryRun.findById(run.id), m);
    }

    @Transactional
    void waitFor(RecoveryRun run, EvacuationConfig.Source src, long moveId, String why) {
        InstanceMove m = InstanceMove.findById(moveId);
        Instant now = Instant.now();
        if (m.startedAt == null) {
            m.startedAt = now;
        }
        if (now.isAfter(m.startedAt.plus(src.instanceTimeout()))) {
            end(run, moveId, MoveState.FAILED, null, why + " after " + src.instanceTimeout().toSeconds() + " s");
            return;
        }
        m.notBefore = now.plus(src.pollInterval());
        if (!why.equals(m.reason)) {
            m.reason = why;
            runs.publishMove(RecoveryRun.findById(run.id), m);
        }
    }
}
