package io.lifeboat.evacuation.recovery;

import io.lifeboat.common.recovery.MoveState;
import io.lifeboat.common.recovery.RecoveryRunState;
import io.lifeboat.common.recovery.RecoveryStep;
import io.lifeboat.evacuation.audit.AuditLog;
import io.lifeboat.evacuation.config.EvacuationConfig;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What the recovery engine ({@link RecoveryExecutor}) reads and writes of a run, each its own transaction: the
 * lease that keeps two replicas from running it at once, its current step, and its end.
 */
@ApplicationScoped
public class RunRecords {

    @Inject
    EvacuationConfig config;

    @Inject
    RecoveryRuns runs;

    @Inject
    MoveTransitions moves;

    @Inject
    AuditLog audit;

    @Inject
    EntityManager em;

    @Inject
    MeterRegistry metrics;

    @Inject
    StepLog steps;

    private String me;

    /** This replica's name in the leases it holds. */
    String me() {
        if (me == null) {
            me = config.instanceName().orElseGet(() -> {
                String host = System.getenv().getOrDefault("HOSTNAME", "localhost");
                return host + "-" + ProcessHandle.current().pid();
            });
        }
        return me;
    }

    @Transactional
    List<UUID> claimable() {
        return em.createQuery("select r.id from RecoveryRun r where r.state = :running and (r.leaseUntil is null or"
                        + " r.leaseUntil < :now or r.leaseOwner = :me) order by r.createdAt", UUID.class)
                .setParameter("running", RecoveryRunState.RUNNING).setParameter("now", Instant.now())
                .setParameter("me", me()).getResultList();
    }

    /** Takes or renews this replica's lease on the run; false when another replica holds it or it stopped. */
    @Transactional
    boolean claim(UUID id) {
        Instant now = Instant.now();
        return em.createQuery("update RecoveryRun r set r.leaseOwner = :me, r.leaseUntil = :until where r.id = :id"
                        + " and r.state = :running and (r.leaseUntil is null or r.leaseUntil < :now or"
                        + " r.leaseOwner = :me)")
                .setParameter("me", me()).setParameter("until", now.plus(config.runLease()))
                .setParameter("id", id).setParameter("running", RecoveryRunState.RUNNING)
                .setParameter("now", now).executeUpdate() == 1;
    }

    /**
     * Ends a RUNNING run FAILED, bounded and honest: every move still open ends FAILED with why (one whose call was
     * in flight is named unaccounted for, to be checked), and the episode goes to PARTIALLY_RECOVERED, or back to an
     * operator when nothing was moved. Never RECOVERED while an instance is unaccounted for.
     */
    @Transactional
    void giveUp(UUID id, String why) {
        RecoveryRun run = RecoveryRun.findById(id);
        if (run == null || run.state != RecoveryRunState.RUNNING) {
            return;
        }
        for (InstanceMove m : InstanceMove.<InstanceMove>list("runId = ?1 and state in ?2", id,
                List.of(MoveState.PENDING, MoveState.ONGOING))) {
            moves.end(run, m.id, MoveState.FAILED, null, m.state == MoveState.ONGOING
                    ? "unaccounted for: its " + m.action + " call was in flight when the run ended (" + why
                    + "); check the instance"
                    : "not moved: the run ended (" + why + ")");
        }
        audit.record("system", "give-up-run", id.toString(), false, "FAILED", why);
        metrics.counter("lifeboat.evacuation.runs.given.up", "platform", run.platform).increment();
        runs.finish(run, Instant.now(), why);
    }

    /** {@link #claim}, then the run as it is: null when another replica holds it or it stopped. */
    @Transactional
    RecoveryRun claimAndRead(UUID id) {
        return claim(id) ? RecoveryRun.findById(id) : null;
    }

    /** The run moved on: the attempt begun for its new step, and the run as it is then. */
    record Continued(RecoveryRun run, long attempt) {
    }

    /**
     * A step done, and the next begun, in one transaction: the step's attempt ends DONE (with the moves' progress
     * line when asked), the lease is renewed, the run moves on to {@code to}, and that step's attempt begins. Null when
     * the lease is another replica's now or the run stopped: the attempt is ended and nothing else changes.
     */
    @Transactional
    Continued stepDone(UUID id, long attemptId, boolean withProgress, RecoveryStep from, RecoveryStep to) {
        steps.endStep(attemptId, StepAttempt.Outcome.DONE, withProgress ? steps.progress(id) : null);
        if (!claim(id)) {
            return null;
        }
        advance(id, from, to, null);
        long next = steps.beginStep(id, to);
        return new Continued(RecoveryRun.findById(id), next);
    }

    @Transactional
    RecoveryRun read(UUID id) {
        return RecoveryRun.findById(id);
    }

    @Transactional
    void advance(UUID id, RecoveryStep from, RecoveryStep to, String detail) {
        RecoveryRun run = RecoveryRun.findById(id);
        if (run == null || run.state != RecoveryRunState.RUNNING || run.step != from && run.step != null) {
            return;
        }
        boolean changed = run.step != to || !java.util.Objects.equals(run.detail, detail);
        run.step = to;
        run.detail = detail;
        if (changed) {
            runs.publishRun(run);
        }
    }

    @Transactional
    void finish(UUID id) {
        RecoveryRun run = RecoveryRun.findById(id);
        if (run != null && run.state == RecoveryRunState.RUNNING) {
            runs.finish(run, Instant.now());
        }
    }
}
