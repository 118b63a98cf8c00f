package io.lifeboat.evacuation.failure;

import io.lifeboat.common.failure.HostFailurePhase;
import io.lifeboat.evacuation.audit.AuditLog;
import io.lifeboat.evacuation.fencing.Fencer;
import io.lifeboat.evacuation.inventory.HostView;
import io.lifeboat.evacuation.platform.Platforms;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The FENCE step of an episode: one replica claims the attempt (so that two never fence the same host at once), the
 * source's fencer powers the host off and confirms it outside any transaction (a BMC may take a minute), and the
 * outcome moves the episode: FENCED; or, when no fencer can confirm it, AWAITING_APPROVAL for an operator; a failed
 * attempt is tried again after a backoff, {@value #FENCE_ATTEMPTS} times in all.
 */
@ApplicationScoped
public class EpisodeFencing {

    /** How long one replica holds a fence attempt before another may try. */
    private static final Duration FENCE_CLAIM = Duration.ofMinutes(3);
    private static final int FENCE_ATTEMPTS = 3;

    @Inject
    HostFailureLifecycle lifecycle;

    @Inject
    Platforms platforms;

    @Inject
    AuditLog audit;

    @Inject
    EntityManager em;

    /** Fences outside any transaction (a BMC may take a minute), after claiming the attempt. */
    public void fence(UUID id) {
        Optional<Fencer> fencer = claimFence(id);
        if (fencer == null) {
            return;
        }
        if (fencer.isEmpty()) {
            awaitOperator(id, "no fencer can confirm this host powered off: an operator must confirm it (approve the"
                    + " run with confirmFenced) before anything is recovered");
            return;
        }
        HostView host = hostView(id);
        Fencer.FenceOutcome outcome = fencer.get().fence(new Fencer.Target(host.sourceId, host.hostId, host.name));
        recordFence(id, fencer.get().name(), outcome);
    }

    /** Null when another replica holds the attempt, or nothing is to be done. */
    @Transactional
    Optional<Fencer> claimFence(UUID id) {
        Instant now = Instant.now();
        HostFailure f = HostFailure.findById(id);
        if (f == null || f.phase != HostFailurePhase.CONFIRMED || lifecycle.partitionGuard(f, now)) {
            return null;
        }
        if (platforms.source(f.sourceId).isEmpty()) {
            lifecycle.awaitOperatorNow(f, "source " + f.sourceId + " is not configured for recovery", now);
            return null;
        }
        int claimed = em.createQuery("update HostFailure f set f.nextAttemptAt = :until where f.id = :id and"
                        + " (f.nextAttemptAt is null or f.nextAttemptAt <= :now)")
                .setParameter("until", now.plus(FENCE_CLAIM)).setParameter("id", id).setParameter("now", now)
                .executeUpdate();
        if (claimed == 0) {
            return null;
        }
        return platforms.fencer(f.sourceId);
    }

    @Transactional
    HostView hostView(UUID id) {
        return HostView.findById(((HostFailure) HostFailure.findById(id)).hostKey);
    }

    @Transactional
    void recordFence(UUID id, String fencer, Fencer.FenceOutcome outcome) {
        Instant now = Instant.now();
        HostFailure f = HostFailure.findById(id);
        if (f == null || f.phase != HostFailurePhase.CONFIRMED) {
            return;
        }
        audit.record(fencer, "fence", f.hostKey, false, outcome.result().name(), outcome.detail());
        switch (outcome.result()) {
            case FENCED -> lifecycle.markFenced(f, fencer, outcome.detail(), now);
            case UNAVAILABLE -> lifecycle.awaitOperatorNow(f, "fencing unavailable (" + fencer + "): "
                    + outcome.detail() + "; an operator must confirm the host powered off", now);
            case FAILED -> {
                f.fenceAttempts++;
                if (f.fenceAttempts >= FENCE_ATTEMPTS) {
                    lifecycle.awaitOperatorNow(f, "fencing failed " + f.fenceAttempts + " times (" + fencer + "): "
                            + outcome.detail() + "; an operator must confirm the host powered off", now);
                } else {
                    f.nextAttemptAt = now.plusSeconds(5L << f.fenceAttempts);
                    f.reason = "fencing attempt " + f.fenceAttempts + " failed: " + outcome.detail();
                    f.updatedAt = now;
                }
            }
        }
    }

    @Transactional
    void awaitOperator(UUID id, String reason) {
        HostFailure f = HostFailure.findById(id);
        if (f != null && f.phase == HostFailurePhase.CONFIRMED) {
            lifecycle.awaitOperatorNow(f, reason, Instant.now());
        }
    }
}
