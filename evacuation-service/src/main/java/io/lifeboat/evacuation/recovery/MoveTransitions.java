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
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

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

    /**
     * The runs whose first call is recorded: every later call updates the last call time only. In memory: after a
     * restart the first call's update is tried once more and changes nothing.
     */
    private final Set<UUID> firstCallRecorded = ConcurrentHashMap.newKeySet();

    @Transactional
    List<InstanceMove> openMoves(UUID runId) {
        return InstanceMove.list("runId = ?1 and state in ?2 order by ordinal", runId,
                List.of(MoveState.PENDING, MoveState.ONGOING));
    }

    /** The run's open moves in its order, as the move loop needs them (read after every task it runs). */
    @Transactional
    List<OpenMove> openMoveStates(UUID runId) {
        return em.createQuery("select new io.lifeboat.evacuation.recovery.OpenMove(m.id, m.state, m.notBefore, m.attempt,"
                        + " m.requestedTarget)"
                        + " from InstanceMove m where m.runId = :run and m.state in :open order by m.ordinal",
                OpenMove.class).setParameter("run", runId)
                .setParameter("open", List.of(MoveState.PENDING, MoveState.ONGOING)).getResultList();
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
            accepted(run.id, m, where, Instant.now());
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

    /**
     * PENDING → ONGOING with the attempt counted, committed before the call: the move as it is now, or null when
     * someone else (another worker or replica) did it.
     */
    @Transactional
    InstanceMove markOngoing(RecoveryRun run, long id, int attempt, String target) {
        Instant now = Instant.now();
        int n = em.createQuery("update InstanceMove m set m.state = :ongoing, m.attempt = m.attempt + 1,"
                        + " m.calledAt = :now, m.startedAt = coalesce(m.startedAt, :now), m.targetHost = :target"
                        + " where m.id = :id and m.state = :pending and m.attempt = :attempt")
                .setParameter("ongoing", MoveState.ONGOING).setParameter("now", now).setParameter("target", target)
                .setParameter("id", id).setParameter("pending", MoveState.PENDING).setParameter("attempt", attempt)
                .executeUpdate();
        if (n != 1) {
            return null;
        }
        em.clear();
        InstanceMove m = InstanceMove.findById(id);
        runs.publishMove(run, m);
        return m;
    }

    /**
     * An accepted call, in one transaction: the run's first and last call times (the first recorded once, by
     * whichever move's update lands first, with its timer) and the audit entry. {@code now} is when the answer came,
     * not when this transaction got a connection: when 16 answers come together, the last waits for 15 others.
     */
    @Transactional
    void accepted(UUID runId, InstanceMove m, String where, Instant now) {
        if (!firstCallRecorded.contains(runId)) {
            int first = em.createQuery("update RecoveryRun r set r.firstCallAt = :now where r.id = :id and"
                    + " r.firstCallAt is null").setParameter("now", now).setParameter("id", runId).executeUpdate();
            if (first == 1) {
                RecoveryRun run = RecoveryRun.findById(runId);
                HostFailure f = run.episodeId == null ? null : HostFailure.findById(run.episodeId);
                if (f != null) {
                    lifecycle.timer("first_recovery_call", f, Duration.between(f.firstEvidence(), now));
                }
            }
            if (runId != null) {
                firstCallRecorded.add(runId);
            }
        }
        em.createQuery("update RecoveryRun r set r.lastCallAt = :now where r.id = :id and (r.lastCallAt is null"
                + " or r.lastCallAt < :now)").setParameter("now", now)
                .setParameter("id", runId).executeUpdate();
        if (m != null) {
            audit.record("system", m.action, m.vmKey, false, "ACCEPTED", "attempt " + m.attempt + ", " + where);
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
        if (reason != null || state != MoveState.SUCCEEDED) {
            m.reason = reason;   // a move that succeeded without a word keeps why it was moved (its verdict)
        }
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
