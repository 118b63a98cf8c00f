package io.lifeboat.evacuation.failure;

import io.lifeboat.evacuation.episode.HostFailure;
import io.lifeboat.common.failure.HostFailurePhase;
import io.lifeboat.evacuation.arming.Arming;
import io.lifeboat.evacuation.audit.AuditLog;
import io.lifeboat.evacuation.fencing.Fencer;
import io.lifeboat.evacuation.fencing.FencingChain;
import io.lifeboat.evacuation.view.HostView;
import io.lifeboat.evacuation.platform.Platforms;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.UUID;

/**
 * The FENCE step of an episode: one replica claims the attempt (so that two never fence the same host at once), the
 * source's escalation chain of fencers (e.g. Redfish, then the oVirt engine) is tried in order outside any
 * transaction (a BMC may take a minute), each attempt audited as it ends, until one confirms the power-off. The
 * outcome moves the episode: FENCED by that fencer; AWAITING_APPROVAL for an operator when no fencer of the chain can
 * fence the host (all unavailable: no BMC, a BMC that does not answer); when one failed, the chain is tried again
 * after a backoff, {@value #FENCE_ATTEMPTS} times in all, and then an operator is asked.
 */
@ApplicationScoped
public class EpisodeFencing {

    /** How long one replica holds a fence attempt before another may try. */
    private static final Duration FENCE_CLAIM = Duration.ofMinutes(3);
    private static final int FENCE_ATTEMPTS = 3;

    @Inject
    PartitionGuard guard;

    @Inject
    io.lifeboat.evacuation.failure.EpisodePhases phases;

    @Inject
    Platforms platforms;

    @Inject
    io.lifeboat.evacuation.fencing.Fencers fencers;

    @Inject
    AuditLog audit;

    @Inject
    Arming arming;

    @Inject
    EntityManager em;

    /** Fences outside any transaction (a BMC may take a minute), after claiming the attempt. */
    public void fence(UUID id) {
        List<Fencer> chain = claimFence(id);
        if (chain == null) {
            return;
        }
        if (chain.isEmpty()) {
            awaitOperator(id, "no fencer can confirm this host powered off: an operator must confirm it (approve the"
                    + " run with confirmFenced) before anything is recovered");
            return;
        }
        HostView host = hostView(id);
        Fencer.Target target = new Fencer.Target(host.sourceId, host.hostId, host.name, firstEvidence(id));
        recordFence(id, FencingChain.run(chain, target, (fencer, outcome) -> auditAttempt(id, fencer, outcome)));
    }

    /** Null when another replica holds the attempt, or nothing is to be done. */
    @Transactional
    List<Fencer> claimFence(UUID id) {
        Instant now = Instant.now();
        HostFailure f = HostFailure.findById(id);
        if (f == null || f.phase != HostFailurePhase.CONFIRMED || guard.partitionGuard(f, now)) {
            return null;
        }
        if (platforms.source(f.sourceId).isEmpty()) {
            guard.awaitOperatorNow(f, "source " + f.sourceId + " is not configured for recovery", now);
            return null;
        }
        if (!arming.armed(f.sourceId)) {
            guard.awaitOperatorNow(f, arming.disarmedBecause(f.sourceId), now);
            return null;
        }
        int claimed = em.createQuery("update HostFailure f set f.nextAttemptAt = :until where f.id = :id and"
                        + " (f.nextAttemptAt is null or f.nextAttemptAt <= :now)")
                .setParameter("until", now.plus(FENCE_CLAIM)).setParameter("id", id).setParameter("now", now)
                .executeUpdate();
        if (claimed == 0) {
            return null;
        }
        return fencers.fencers(f.sourceId);
    }

    @Transactional
    Instant firstEvidence(UUID id) {
        return ((HostFailure) HostFailure.findById(id)).firstEvidence();
    }

    @Transactional
    HostView hostView(UUID id) {
        return HostView.findById(((HostFailure) HostFailure.findById(id)).hostKey);
    }

    /** Each fencer's try is in the audit trail as soon as it ends, with the BMC's or engine's answers. */
    @Transactional
    void auditAttempt(UUID id, String fencer, Fencer.FenceOutcome outcome) {
        HostFailure f = HostFailure.findById(id);
        if (f != null) {
            audit.record(fencer, "fence", f.hostKey, false, outcome.result().name(), outcome.detail());
        }
    }

    @Transactional
    void recordFence(UUID id, List<FencingChain.Attempt> attempts) {
        Instant now = Instant.now();
        HostFailure f = HostFailure.findById(id);
        if (f == null || f.phase != HostFailurePhase.CONFIRMED) {
            return;
        }
        FencingChain.Attempt last = attempts.get(attempts.size() - 1);
        String tried = attempts.stream().map(FencingChain.Attempt::toString).collect(Collectors.joining("; then "));
        if (last.fenced()) {
            phases.markFenced(f, last.fencer(), last.outcome().detail(), now);
        } else if (attempts.stream().allMatch(a -> a.outcome().result() == Fencer.FenceOutcome.Result.UNAVAILABLE)) {
            guard.awaitOperatorNow(f, "no fencer could fence the host (" + tried + "); an operator must"
                    + " confirm the host powered off", now);
        } else {
            f.fenceAttempts++;
            if (f.fenceAttempts >= FENCE_ATTEMPTS) {
                guard.awaitOperatorNow(f, "fencing failed " + f.fenceAttempts + " times (" + tried + "); an"
                        + " operator must confirm the host powered off", now);
            } else {
                f.nextAttemptAt = now.plusSeconds(5L << f.fenceAttempts);
                f.reason = "fencing attempt " + f.fenceAttempts + " failed: " + tried;
                f.updatedAt = now;
            }
        }
    }

    @Transactional
    void awaitOperator(UUID id, String reason) {
        HostFailure f = HostFailure.findById(id);
        if (f != null && f.phase == HostFailurePhase.CONFIRMED) {
            guard.awaitOperatorNow(f, reason, Instant.now());
        }
    }
}
