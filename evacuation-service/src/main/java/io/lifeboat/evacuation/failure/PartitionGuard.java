package io.lifeboat.evacuation.failure;

import io.lifeboat.common.failure.HostFailurePhase;
import io.lifeboat.common.failure.PartitionSuspected;
import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.id.SourceId;
import io.lifeboat.evacuation.audit.AuditLog;
import io.lifeboat.evacuation.config.EvacuationConfig;
import io.lifeboat.evacuation.episode.HostFailure;
import io.lifeboat.evacuation.platform.Platforms;
import io.lifeboat.evacuation.recovery.RecoveryRuns;
import io.lifeboat.evacuation.view.HostView;
import io.lifeboat.evacuation.view.SourceView;
import io.lifeboat.service.outbox.Outbox;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Whether a confirmed failure may go on to its fence: not during a suspected partition (too many hosts of the source
 * down at once), not before the source's complete host list has been seen; and the hand-over to an operator when it
 * may not. In the caller's transaction.
 */
@ApplicationScoped
public class PartitionGuard {

    private static final Logger LOG = Logger.getLogger(PartitionGuard.class);
    private static final String SYSTEM = "system";

    private final Platforms platforms;
    private final RecoveryRuns runs;
    private final EpisodePhases phases;
    private final Outbox outbox;
    private final AuditLog audit;
    private final MeterRegistry metrics;

    public PartitionGuard(Platforms platforms, RecoveryRuns runs, EpisodePhases phases, Outbox outbox, AuditLog audit,
                          MeterRegistry metrics) {
        this.platforms = platforms;
        this.runs = runs;
        this.phases = phases;
        this.outbox = outbox;
        this.audit = audit;
        this.metrics = metrics;
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
        // Each episode locked, in one order (replicas judge the same source at once): flagged and moved once.
        for (HostFailure e : suspected.stream().sorted(java.util.Comparator.comparing(x -> x.id)).toList()) {
            HostFailure.getEntityManager().refresh(e, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
            if (!e.partition && e.open() && !e.fenced()) {
                newlyFlagged = true;
                e.partition = true;
                runs.cancelActive(e, SYSTEM, "partition suspected");
                phases.transition(e, HostFailurePhase.AWAITING_APPROVAL, SYSTEM, reason, now);
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
            phases.transition(f, HostFailurePhase.AWAITING_APPROVAL, SYSTEM, "the source's host list was not seen complete"
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
        phases.transition(f, HostFailurePhase.AWAITING_APPROVAL, SYSTEM, reason, now);
        runs.createAwaitingApproval(f, reason);
    }
}
