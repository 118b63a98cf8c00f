package io.lifeboat.evacuation.failure;

import io.lifeboat.common.failure.HostFailureChanged;
import io.lifeboat.common.failure.HostFailurePhase;
import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.inventory.HostStatus;
import io.lifeboat.evacuation.episode.HostFailure;
import io.lifeboat.evacuation.recovery.EpisodeTransitions;
import io.lifeboat.evacuation.view.HostView;
import io.lifeboat.service.outbox.Outbox;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;

/**
 * The one place an episode changes phase: the change, its event on the host-failures topic (through the outbox, in
 * the caller's transaction), its log line and its milestone timer. The lifecycle, the fencing, the operator's actions
 * and (through {@link EpisodeTransitions}) the recovery runs all go through here.
 */
@ApplicationScoped
public class EpisodePhases implements EpisodeTransitions {

    private static final Logger LOG = Logger.getLogger(EpisodePhases.class);

    private final Outbox outbox;
    private final MeterRegistry metrics;

    public EpisodePhases(Outbox outbox, MeterRegistry metrics) {
        this.outbox = outbox;
        this.metrics = metrics;
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

    void transition(HostFailure f, HostFailurePhase phase, String actor, String reason, Instant now) {
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

    void publish(HostFailure f, HostFailurePhase previous, String actor, String reason, Instant at) {
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
