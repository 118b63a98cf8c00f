package io.lifeboat.evacuation.failure;

import io.lifeboat.evacuation.episode.HostFailure;
import io.lifeboat.common.failure.HostFailureChanged;
import io.lifeboat.common.failure.HostFailurePhase;
import io.lifeboat.common.failure.PartitionSuspected;
import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.id.SourceId;
import io.lifeboat.common.inventory.HostStatus;
import io.lifeboat.evacuation.audit.AuditLog;
import io.lifeboat.evacuation.config.EvacuationConfig;
import io.lifeboat.evacuation.detection.HostEvidence;
import io.lifeboat.evacuation.detection.HostProbed;
import io.lifeboat.evacuation.detection.HostVerdict;
import io.lifeboat.evacuation.view.HostView;
import io.lifeboat.evacuation.view.SourceView;
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
 * stays open until its host is seen up again: one episode, and one fence, per failure.
 */
@ApplicationScoped
public class HostFailureLifecycle implements io.lifeboat.evacuation.recovery.EpisodeTransitions {

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
        if (f.fenced() && f.fencedAt != null && !host.observedAt.isAfter(f.fencedAt)) {
            // The platform's UP is older than the fence: Nova's view from before it noticed the loss (its 60 s), or
            // before our own force-down. A fenced host is back only when the platform says so after the fence (for
            // Nova: once it is unfenced); else its forced-down state would open a second episode and fence the
            // repaired host again.
            return;
        }
        if (!f.fenced()) {
            runs.cancelActive(f, SYSTEM, "the host came back before it was fenced");
            close(f, HostFailurePhase.ABANDONED, SYSTEM, "the host came back (" + host.platformStatus
                    + ") before it was fenced: nothing was recovered", host.observedAt);
        } else if (f.phase.recovered()) {
            close(f, f.phase, SYSTEM, "the host is up again (" + host.platformStatus + ") after its recovery",
                    host.observedAt);
        } else if (f.phase == HostFailurePhase.AWAITING_APPROVAL && RecoveryRuns.activeFor(f.hostKey).isEmpty()) {
            // Its recovery failed and nothing waits for approval: the host is back, nothing more is recovered.
            close(f, HostFailurePhase.ABANDONED, SYSTEM, "the host is up again (" + host.platformStatus
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
            timer("suspected", f, Duration.between(f.firstEvidence(), signalAt));
            quarantineIfFlapping(f, now);
            publish(f, null, SYSTEM, f.reason, signalAt);
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
        for (UUID id : recoveredToUnfence()) {
            try {
                unfencing.tryAuto(id, this);
            } catch (RuntimeException e) {
                LOG.warnf(e, "episode %s: could not unfence", id);
            }
        }
    }

    /** Open, recovered OpenStack episodes of sources with {@code unfence=auto}: their hosts may be unfenced. */
    @Transactional
    List<UUID> recoveredToUnfence() {
        List<HostFailure> recovered = em.createQuery("select f from HostFailure f where f.closedAt is null and"
                + " f.platform = 'OPENSTACK' and f.phase in (:r, :p)", HostFailure.class)
                .setParameter("r", HostFailurePhase.RECOVERED).setParameter("p", HostFailurePhase.PARTIALLY_RECOVERED)
                .getResultList();
        return recovered.stream().filter(f -> unfencing.auto(f.sourceId)).map(f -> f.id).toList();
    }

    /** The episode, when nothing blocks unfencing its host now; else null. */
    @Transactional
    HostFailure unfenceDue(UUID id) {
        HostFailure f = HostFailure.findById(id);
        return f != null && unfencing.blockers(f).isEmpty() ? f : null;
    }

    /**
     * The host was unfenced (forced_down unset, service enabled): audited; the episode stays open until Nova reports
     * the host up, which closes it.
     */
    @Transactional
    public void unfenced(UUID id, String actor, String detail) {
        HostFailure f = HostFailure.findById(id);
        if (f == null) {
            return;
        }
        Instant now = Instant.now();
        audit.record(actor, "unfence", f.hostKey, false, "UNFENCED", detail);
        f.reason = f.reason + "; " + detail + "; the episode closes when Nova reports the host up";
        f.updatedAt = now;
        LOG.infof("host %s (%s) unfenced by %s", f.hostName, f.hostKey, actor);
    }

    @Transactional
    void unfenceFailed(UUID id, String error) {
        HostFailure f = HostFailure.findById(id);
        if (f != null) {
            audit.record(SYSTEM, "unfence", f.hostKey, false, "FAILED", error);
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
        HostFailure f = HostFailure.findById(id);
        if (f == null || f.phase != HostFailurePhase.SUSPECTED) {
            return;
        }
        Instant now = Instant.now();
        if (partitionGuard(f, now)) {
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
        transition(f, HostFailurePhase.CONFIRMED, SYSTEM, "still down after the grace period of "
                + grace.toSeconds() + " s" + (verdict == null ? "" : " (" + verdict.reason() + ")"), now);
        timer("confirmed", f, Duration.between(f.firstEvidence(), now));
    }

    /**
     * More than the threshold share of the source's hosts with an unfenced open episode: a partition, not host
     * failures. Every such episode waits for an operator, and one alert is published (peers.md: RHOSO InstanceHA).
     */
    boolean partitionGuard(HostFailure f, Instant now) {
        if (f.partition) {
            return true;
        }
        long seen = HostView.count("sourceId", f.sourceId);
        SourceView view = SourceView.findById(f.sourceId);
        if (view == null || seen < view.hosts) {
            awaitCompleteView(f, seen, view, now);
            return true;
        }
        double threshold = platforms.configured(f.sourceId).map(EvacuationConfig.Source::partitionThreshold)
                .orElse(0.5);
        long total = Math.max(seen, view.hosts);
        List<HostFailure> suspected = HostFailure.openOfSource(f.sourceId).stream()
                .filter(e -> !e.fenced()).toList();
        if (total == 0 || (double) suspected.size() / total <= threshold) {
            return false;
        }
        String reason = String.format("partition suspected: %d of %d hosts of %s down at once (more than %.0f %%);"
                + " nothing is recovered until an operator decides", suspected.size(), total, f.sourceId,
                threshold * 100);
        boolean newlyFlagged = false;
        for (HostFailure e : suspected) {
            if (!e.partition) {
                newlyFlagged = true;
                e.partition = true;
                runs.cancelActive(e, SYSTEM, "partition suspected");
                transition(e, HostFailurePhase.AWAITING_APPROVAL, SYSTEM, reason, now);
            }
        }
        if (newlyFlagged) {
            outbox.add(new PartitionSuspected(SourceId.of(f.sourceId), (int) total, suspected.size(), threshold,
                    suspected.stream().map(e -> HostKey.parse(e.hostKey)).sorted().toList(), now), now);
            audit.record(SYSTEM, "partition-suspected", f.sourceId, false, "ALERT", reason);
            metrics.counter("lifeboat.evacuation.partitions", "source", f.sourceId).increment();
            LOG.warn(reason);
        }
        return true;
    }

    /**
     * No verdict on part of a source: until the collector's host list is known and every host of it has been seen
     * here, a failure neither counts toward a partition nor goes on; after {@code complete-view-timeout} an operator
     * is asked. (A service that started on an empty database and first saw one down host called it a partition of
     * "1 of 1 hosts" and never recovered it.)
     */
    private void awaitCompleteView(HostFailure f, long seen, SourceView view, Instant now) {
        Duration timeout = platforms.configured(f.sourceId).map(EvacuationConfig.Source::completeViewTimeout)
                .orElse(Duration.ofMinutes(5));
        String state = view == null ? "no collection cycle of " + f.sourceId + " seen yet"
                : seen + " of the " + view.hosts + " hosts of " + f.sourceId + " seen";
        if (now.isAfter(f.firstSignalAt.plus(timeout))) {
            transition(f, HostFailurePhase.AWAITING_APPROVAL, SYSTEM, "the source's host list was not seen complete"
                    + " within " + timeout.toSeconds() + " s (" + state + "): whether this is a host failure or a"
                    + " partition cannot be told; an operator decides", now);
            return;
        }
        String reason = "waiting for the source's complete host list before any verdict (" + state + ")";
        if (!reason.equals(f.reason)) {
            f.reason = reason;
            f.updatedAt = now;
        }
    }

    /** Waits for an operator: the run is created AWAITING_APPROVAL with the reason. */
    void awaitOperatorNow(HostFailure f, String reason, Instant now) {
        transition(f, HostFailurePhase.AWAITING_APPROVAL, SYSTEM, reason, now);
        runs.createAwaitingApproval(f, reason);
    }

    /** Power-off confirmed, by a fencer or an operator (the actor). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void markFenced(HostFailure f, String actor, String detail, Instant now) {
        f.fencedAt = now;
        f.fencedBy = actor;
        if (f.confirmedAt == null) {
            f.confirmedAt = now;
        }
        transition(f, HostFailurePhase.FENCED, actor, detail, now);
        timer("fenced", f, Duration.between(f.firstEvidence(), now));
    }

    /** The recovery run started. */
    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void markRecovering(HostFailure f, String actor, Instant now) {
        f.recoveringAt = now;
        transition(f, HostFailurePhase.RECOVERING, actor, "recovery run started", now);
    }

    /** Fenced, but the recovery waits for an operator (approval required, or the source is not configured). */
    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void awaitApproval(HostFailure f, String actor, String reason, Instant now) {
        transition(f, HostFailurePhase.AWAITING_APPROVAL, actor, reason, now);
    }

    /**
     * The host's run ended. The episode stays open in RECOVERED or PARTIALLY_RECOVERED until the host is seen up again
     * (then {@link #hostObserved} closes it) or an operator closes it: the host's later states while it is down (the
     * ones our own fencing and force-down cause among them) belong to this failure and never open a second episode,
     * so a host is fenced once per failure. A host already up again closes it now.
     */
    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void recovered(HostFailure f, HostFailurePhase phase, String actor, String reason, Instant now) {
        if (!phase.recovered()) {
            throw new IllegalArgumentException(phase + " is not an end of recovery");
        }
        HostView host = HostView.findById(f.hostKey);
        if (host != null && host.status == HostStatus.UP && f.fencedAt != null
                && host.observedAt.isAfter(f.fencedAt)) {
            close(f, phase, actor, reason + "; the host is up again (" + host.platformStatus + ")", now);
        } else {
            transition(f, phase, actor, reason + "; the episode closes when the host is up again", now);
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void close(HostFailure f, HostFailurePhase phase, String actor, String reason, Instant now) {
        f.closedAt = now;
        transition(f, phase, actor, reason, now);
    }

    private void transition(HostFailure f, HostFailurePhase phase, String actor, String reason, Instant now) {
        HostFailurePhase previous = f.phase;
        if (f.quarantined && !reason.contains("quarantined")) {
            // Every later phase still says so: a quarantined host is recovered only with an operator's approval.
            reason = reason + "; quarantined (a flapping host): recovered only with an operator's approval";
        }
        f.phase = phase;
        f.reason = reason;
        f.updatedAt = now;
        publish(f, previous, actor, reason, now);
        LOG.infof("host %s (%s): %s → %s by %s: %s", f.hostName, f.hostKey, previous, phase, actor, reason);
    }

    private void publish(HostFailure f, HostFailurePhase previous, String actor, String reason, Instant at) {
        outbox.add(new HostFailureChanged(f.id, HostKey.parse(f.hostKey), f.hostName, f.phase, previous,
                f.firstSignalAt, at, actor, reason, f.closedAt), at);
    }

    /** Records a milestone of an episode: time from its first evidence. */
    @Override
    public void timer(String milestone, HostFailure f, Duration d) {
        metrics.timer("lifeboat.evacuation.failure.time", "milestone", milestone, "platform", f.platform)
                .record(d.isNegative() ? Duration.ZERO : d);
    }
}
