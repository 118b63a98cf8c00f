package io.lifeboat.evacuation.failure;

import io.lifeboat.evacuation.episode.HostFailure;
import io.lifeboat.common.failure.HostFailurePhase;
import io.lifeboat.common.inventory.HostStatus;
import io.lifeboat.evacuation.audit.AuditLog;
import io.lifeboat.evacuation.config.EvacuationConfig;
import io.lifeboat.evacuation.detection.HostEvidence;
import io.lifeboat.evacuation.detection.HostProbed;
import io.lifeboat.evacuation.detection.HostVerdict;
import io.lifeboat.evacuation.view.HostView;
import io.lifeboat.service.outbox.Outbox;
import io.lifeboat.evacuation.platform.Platforms;
import io.lifeboat.evacuation.recovery.RecoveryRuns;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The host-failure lifecycle (DESIGN.md "Rules that keep it safe"): SUSPECTED when the platform reports the host down
 * → CONFIRMED after the grace period → FENCED when a fencer confirms power-off, or AWAITING_APPROVAL when none can (or
 * when too many hosts of the source are down at once: a partition) → RECOVERING → RECOVERED or PARTIALLY_RECOVERED.
 * A host that comes back before it is fenced closes its episode with nothing done (ABANDONED). A recovered episode
 * stays open until its host is seen up again: one episode, and one fence, per failure. The phase changes themselves
 * (and their events) are {@link EpisodePhases}.
 */
@ApplicationScoped
public class HostFailureLifecycle {

    private static final Logger LOG = Logger.getLogger(HostFailureLifecycle.class);
    private static final String SYSTEM = "system";

    @Inject
    EvacuationConfig config;

    @Inject
    Platforms platforms;

    @Inject
    Outbox outbox;

    @Inject
    AuditLog audit;

    @Inject
    RecoveryRuns runs;

    @Inject
    EntityManager em;

    @Inject
    MeterRegistry metrics;

    @Inject
    EpisodeFencing fencing;

    @Inject
    HostEvidence evidence;

    @Inject
    Unfencing unfencing;

    @Inject
    EpisodePhases phases;

    @Inject
    PartitionGuard guard;

    // ------------------------------------------------------------------ signals from the inventory

    /** A host state arrived: opens an episode for a failure signal, closes an unfenced one when the host is back. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void hostObserved(HostView host) {
        evidence.platform(host);
        HostVerdict verdict = evidence.verdict(host);
        Optional<HostFailure> open = HostFailure.openFor(host.hostKey);
        if (host.status.isFailureSignal()) {
            if (open.isEmpty()) {
                suspect(host, verdict, host.observedAt);
            }
            return;
        }
        if (host.status != HostStatus.UP || open.isEmpty() || !verdict.clear()) {
            return;   // a host the probes still see down stays suspected, whatever a stale platform view says
        }
        hostBack(open.get(), host);
    }

    /**
     * A probe round's verdict on a host (detection enabled): opens an episode when the probes agree the host is down
     * and it was seen healthy since its last episode (a host left off by an earlier episode does not open another at
     * every probe); abandons an unfenced episode when the evidence clears.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    void probed(@Observes HostProbed probed) {
        HostView host = probed.host();
        HostVerdict verdict = probed.verdict();
        Optional<HostFailure> open = HostFailure.openFor(host.hostKey);
        if (verdict.suspected() && open.isEmpty() && healthySinceLastEpisode(host)) {
            suspect(host, verdict, Instant.now());
        } else if (verdict.clear() && open.isPresent() && host.status == HostStatus.UP) {
            hostBack(open.get(), host);
        }
    }

    private boolean healthySinceLastEpisode(HostView host) {
        List<HostFailure> last = HostFailure.find("hostKey = ?1 order by closedAt desc nulls first", host.hostKey)
                .page(0, 1).list();
        if (last.isEmpty()) {
            return true;
        }
        Instant closed = last.get(0).closedAt;
        Instant clear = evidence.lastClear(host.hostKey);
        return closed != null && ((host.status == HostStatus.UP && host.observedAt.isAfter(closed))
                || (clear != null && clear.isAfter(closed)));
    }

    private void hostBack(HostFailure f, HostView host) {
        em.refresh(f, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);   // another replica may have closed it
        if (!f.open()) {
            return;
        }
        if (f.fenced() && f.fencedAt != null && !host.observedAt.isAfter(f.fencedAt)) {
            // The platform's UP is older than the fence: Nova's view from before it noticed the loss (its 60 s), or
            // before our own force-down. A fenced host is back only when the platform says so after the fence (for
            // Nova: once it is unfenced); else its forced-down state would open a second episode and fence the
            // repaired host again.
            return;
        }
        if (!f.fenced()) {
            runs.cancelActive(f, SYSTEM, "the host came back before it was fenced");
            phases.close(f, HostFailurePhase.ABANDONED, SYSTEM, "the host came back (" + host.platformStatus
                    + ") before it was fenced: nothing was recovered", host.observedAt);
        } else if (f.phase.recovered()) {
            phases.close(f, f.phase, SYSTEM, "the host is up again (" + host.platformStatus + ") after its recovery",
                    host.observedAt);
        } else if (f.phase == HostFailurePhase.AWAITING_APPROVAL && RecoveryRuns.activeFor(f.hostKey).isEmpty()) {
            // Its recovery failed and nothing waits for approval: the host is back, nothing more is recovered.
            phases.close(f, HostFailurePhase.ABANDONED, SYSTEM, "the host is up again (" + host.platformStatus
                    + ") after a failed recovery", host.observedAt);
        }
    }

    private void suspect(HostView host, HostVerdict verdict, Instant signalAt) {
        UUID id = UUID.randomUUID();
        Instant now = Instant.now();
        // The partial unique index (one open episode per host) decides between replicas and redeliveries.
        int inserted = em.createNativeQuery("insert into host_failure (id, host_key, source_id, platform, host_name,"
                        + " phase, first_signal_at, first_evidence_at, updated_at, reason) values (?1, ?2, ?3, ?4, ?5,"
                        + " 'SUSPECTED', ?6, ?7, ?8, ?9) on conflict (host_key) where closed_at is null do nothing")
                .setParameter(1, id).setParameter(2, host.hostKey).setParameter(3, host.sourceId)
                .setParameter(4, host.platform).setParameter(5, host.name).setParameter(6, signalAt)
                .setParameter(7, verdict.firstEvidenceAt() == null ? signalAt : verdict.firstEvidenceAt())
                .setParameter(8, now).setParameter(9, verdict.reason())
                .executeUpdate();
        if (inserted == 1) {
            HostFailure f = HostFailure.findById(id);
            phases.timer("suspected", f, Duration.between(f.firstEvidence(), signalAt));
            quarantineIfFlapping(f, now);
            phases.publish(f, null, SYSTEM, f.reason, signalAt);
            LOG.infof("host %s (%s) suspected failed: %s", host.name, host.hostKey, verdict.reason());
        }
    }

    /**
     * The host's {@code quarantine-after}-th episode within {@code quarantine-window}: quarantined. It is still fenced
     * (a flapping host must stay off), but nothing is recovered without an operator; an audit entry and a metric say
     * so. Flaps that came back before their fence count: each was a failure signal that opened an episode.
     */
    private void quarantineIfFlapping(HostFailure f, Instant now) {
        int after = platforms.configured(f.sourceId).map(EvacuationConfig.Source::quarantineAfter).orElse(3);
        Duration window = platforms.configured(f.sourceId).map(EvacuationConfig.Source::quarantineWindow)
                .orElse(Duration.ofHours(1));
        if (after <= 0) {
            return;
        }
        long recent = HostFailure.count("hostKey = ?1 and firstSignalAt > ?2", f.hostKey,
                f.firstSignalAt.minus(window));
        if (recent < after) {
            return;
        }
        f.quarantined = true;
        f.reason = f.reason + "; quarantined: failure " + recent + " of this host within " + window.toMinutes()
                + " min (quarantine-after " + after + "): it is fenced and left off, and recovered only with an"
                + " operator's approval";
        audit.record(SYSTEM, "quarantine", f.hostKey, false, "ALERT", f.reason);
        metrics.counter("lifeboat.evacuation.quarantines", "source", f.sourceId).increment();
        LOG.warnf("host %s quarantined: %d failures within %s", f.hostKey, recent, window);
    }

    // ------------------------------------------------------------------ the clock

    private volatile boolean stopping;

    void onStop(@Observes ShutdownEvent e) {
        stopping = true;
    }

    @Scheduled(every = "${lifeboat.evacuation.tick:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            delayed = "2s")
    void tick() {
        if (stopping) {
            return;
        }
        for (UUID id : openEpisodes()) {
            try {
                advance(id);
            } catch (RuntimeException e) {
                LOG.warnf(e, "episode %s: could not advance", id);
            }
        }
        for (UUID id : unfencing.recoveredToUnfence()) {
            try {
                unfencing.tryAuto(id);
            } catch (RuntimeException e) {
                LOG.warnf(e, "episode %s: could not unfence", id);
            }
        }
    }

    @Transactional
    List<UUID> openEpisodes() {
        return em.createQuery("select f.id from HostFailure f where f.closedAt is null and f.phase in"
                + " (:s, :c, :f) order by f.firstSignalAt", UUID.class)
                .setParameter("s", HostFailurePhase.SUSPECTED).setParameter("c", HostFailurePhase.CONFIRMED)
                .setParameter("f", HostFailurePhase.FENCED).getResultList();
    }

    void advance(UUID id) {
        HostFailure f = read(id);
        if (f == null || !f.open()) {
            return;
        }
        switch (f.phase) {
            case SUSPECTED -> confirmIfDue(id);
            case CONFIRMED -> fencing.fence(id);
            case FENCED -> runs.startRecovery(id);
            default -> {
                // AWAITING_APPROVAL waits for an operator; RECOVERING for its run.
            }
        }
    }

    @Transactional
    HostFailure read(UUID id) {
        return HostFailure.findById(id);
    }

    @Transactional
    void confirmIfDue(UUID id) {
        // Locked: replicas tick the same episodes, and only one may confirm it (one CONFIRMED per failure).
        HostFailure f = HostFailure.findById(id, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (f == null || f.phase != HostFailurePhase.SUSPECTED) {
            return;
        }
        Instant now = Instant.now();
        if (guard.partitionGuard(f, now)) {
            return;
        }
        Duration grace = platforms.configured(f.sourceId).map(EvacuationConfig.Source::gracePeriod)
                .orElse(Duration.ofSeconds(10));
        if (now.isBefore(f.firstSignalAt.plus(grace))) {
            return;
        }
        HostView host = HostView.findById(f.hostKey);
        HostVerdict verdict = host == null ? null : evidence.verdict(host);
        if (verdict != null && !verdict.suspected() && host.status != HostStatus.TRANSITIONING) {
            return;   // the evidence no longer agrees (a state being applied, a probe that could not tell): wait
        }
        // A host rebooting (as after the engine's own fence) is not back: its failure goes on to be fenced, where the
        // engine's fence is recognised.
        f.confirmedAt = now;
        phases.transition(f, HostFailurePhase.CONFIRMED, SYSTEM, "still down after the grace period of "
                + grace.toSeconds() + " s" + (verdict == null ? "" : " (" + verdict.reason() + ")"), now);
        phases.timer("confirmed", f, Duration.between(f.firstEvidence(), now));
    }
}
