package io.lifeboat.evacuation.recovery;

import io.lifeboat.common.envelope.EventEnvelope;
import io.lifeboat.common.failure.HostFailurePhase;
import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.id.SourceKind;
import io.lifeboat.common.id.VmKey;
import io.lifeboat.common.recovery.InstanceMoveChanged;
import io.lifeboat.common.recovery.MoveState;
import io.lifeboat.common.recovery.RecoveryRunChanged;
import io.lifeboat.common.recovery.RecoveryRunState;
import io.lifeboat.common.recovery.RecoveryStep;
import io.lifeboat.evacuation.audit.AuditLog;
import io.lifeboat.evacuation.config.EvacuationConfig;
import io.lifeboat.evacuation.episode.HostFailure;
import io.lifeboat.service.outbox.Outbox;
import io.lifeboat.evacuation.platform.Platforms;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Runs and moves in the database, with their events: created, approved, cancelled, advanced, finished. */
@ApplicationScoped
public class RecoveryRuns {

    @Inject
    Outbox outbox;

    @Inject
    AuditLog audit;

    @Inject
    Platforms platforms;

    @Inject
    io.lifeboat.evacuation.arming.Arming arming;

    @Inject
    EpisodeTransitions lifecycle;

    @Inject
    MeterRegistry metrics;

    @Inject
    MoveRows moveRows;

    @Inject
    jakarta.enterprise.event.Event<RunStarted> started;

    public static Optional<RecoveryRun> activeFor(String hostKey) {
        return RecoveryRun.find("hostKey = ?1 and state in ?2", hostKey, List.of(RecoveryRunState.PLANNED,
                RecoveryRunState.AWAITING_APPROVAL, RecoveryRunState.RUNNING)).firstResultOptional();
    }

    /** A confirmed failure no fencer could confirm: the run waits for an operator. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void createAwaitingApproval(HostFailure f, String reason) {
        supersedeStorageRun(f.hostKey);
        if (activeFor(f.hostKey).isPresent()) {
            return;
        }
        RecoveryRun run = newRun(f.id, f.hostKey, f.sourceId, f.platform, RecoveryRun.Kind.HOST, "system", null);
        run.state = RecoveryRunState.AWAITING_APPROVAL;
        run.step = RecoveryStep.FENCE_HOST;
        run.detail = reason;
        run.persist();
        publishRun(run);
    }

    /** The episode is fenced: start its run (or keep it waiting when approval is required). */
    @Transactional
    public void startRecovery(UUID episodeId) {
        // Locked: of two replicas starting the same fenced episode, the second waits and then finds it RECOVERING.
        HostFailure f = HostFailure.findById(episodeId, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (f == null || f.phase != HostFailurePhase.FENCED) {
            return;
        }
        Instant now = Instant.now();
        supersedeStorageRun(f.hostKey);
        RecoveryRun run = activeFor(f.hostKey).orElse(null);
        if (run != null && run.kind == RecoveryRun.Kind.VM) {
            return;   // an operator's one-VM run goes first; the host's run follows on a later tick
        }
        boolean disarmed = !arming.armed(f.sourceId);
        boolean approvalRequired = f.quarantined || disarmed || platforms.source(f.sourceId)
                .map(EvacuationConfig.Source::approvalRequired).orElse(true);
        if (run == null) {
            run = newRun(f.id, f.hostKey, f.sourceId, f.platform, RecoveryRun.Kind.HOST, f.fencedBy, null);
            run.state = approvalRequired ? RecoveryRunState.AWAITING_APPROVAL : RecoveryRunState.PLANNED;
            run.step = RecoveryStep.FENCE_HOST;
            run.persist();
            if (!approvalRequired) {
                begin(run, f, f.fencedBy, now);
                return;
            }
        }
        if (run.state == RecoveryRunState.AWAITING_APPROVAL && !approvalRequired) {
            begin(run, f, f.fencedBy, now);   // it waited for the fence, which an operator has now confirmed
            return;
        }
        if (run.state == RecoveryRunState.AWAITING_APPROVAL) {
            run.detail = platforms.source(f.sourceId).isEmpty() ? "source not configured for recovery"
                    : f.quarantined ? "fenced and left off: the host is quarantined (it failed too often); recovery"
                    + " waits for an operator's approval"
                    : disarmed ? "fenced; " + arming.disarmedBecause(f.sourceId)
                    : "fenced; recovery waits for an operator's approval (approval-required)";
            lifecycle.awaitApproval(f, "system", run.detail, now);
            publishRun(run);
            return;
        }
        begin(run, f, f.fencedBy, now);
    }

    /** Starts a run: RUNNING, and its episode RECOVERING. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void begin(RecoveryRun run, HostFailure f, String actor, Instant now) {
        run.state = RecoveryRunState.RUNNING;
        run.startedAt = now;
        run.detail = null;
        if (run.step == null) {
            run.step = RecoveryStep.FENCE_HOST;
        }
        publishRun(run);
        started.fire(new RunStarted(run.id, run.sourceId, run.hostKey, run.platform, run.kind));
        if (f != null && f.phase != HostFailurePhase.RECOVERING) {
            lifecycle.markRecovering(f, actor, now);
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public RecoveryRun newRun(UUID episodeId, String hostKey, String sourceId, String platform, RecoveryRun.Kind kind,
                              String triggeredBy, String targetHost) {
        RecoveryRun run = new RecoveryRun();
        run.id = UUID.randomUUID();
        run.episodeId = episodeId;
        run.hostKey = hostKey;
        run.sourceId = sourceId;
        run.platform = platform;
        run.kind = kind;
        run.triggeredBy = triggeredBy == null ? "system" : triggeredBy;
        run.targetHost = targetHost;
        run.createdAt = Instant.now();
        run.state = RecoveryRunState.PLANNED;
        return run;
    }

    /** A run migrating paused VMs off a host gives way when the whole host fails: the host's recovery covers them. */
    private void supersedeStorageRun(String hostKey) {
        activeFor(hostKey).filter(r -> r.kind == RecoveryRun.Kind.STORAGE).ifPresent(r -> {
            r.state = RecoveryRunState.CANCELLED;
            r.finishedAt = Instant.now();
            r.detail = "superseded by the host's failure recovery";
            r.leaseOwner = null;
            r.leaseUntil = null;
            publishRun(r);
        });
    }

    /** Cancels the host's waiting run (the host came back, a partition was suspected, or an operator said so). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void cancelActive(HostFailure f, String actor, String reason) {
        activeFor(f.hostKey).filter(r -> r.state != RecoveryRunState.RUNNING).ifPresent(r -> {
            r.state = RecoveryRunState.CANCELLED;
            r.finishedAt = Instant.now();
            r.detail = reason;
            publishRun(r);
            audit.record(actor, "cancel-run", r.id.toString(), false, "CANCELLED", reason);
        });
    }

    // ------------------------------------------------------------------ moves

    @Transactional(Transactional.TxType.MANDATORY)
    public void addMoves(RecoveryRun run, List<PlannedMove> planned) {
        addMoves(run, planned, 0);
    }

    /** Adds moves numbered from {@code firstOrdinal} (a STORAGE run gains moves as VMs pause). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void addMoves(RecoveryRun run, List<PlannedMove> planned, int firstOrdinal) {
        Instant now = Instant.now();
        moveRows.insert(run, planned, firstOrdinal, now);
        List<EventEnvelope<?>> events = new ArrayList<>(planned.size());
        for (PlannedMove p : planned) {
            if (p.state() == MoveState.SKIPPED) {
                metrics.counter("lifeboat.evacuation.instances", "outcome", "skipped", "platform", run.platform)
                        .increment();
            }
            events.add(EventEnvelope.create(outbox.source(), new InstanceMoveChanged(run.id,
                    HostKey.parse(run.hostKey), VmKey.parse(p.vmKey()), p.vmName(), p.action(), p.state(), 0,
                    null, p.reason(), now), now));
        }
        outbox.addAll(events);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void publishMove(RecoveryRun run, InstanceMove m) {
        Instant now = Instant.now();
        outbox.add(new InstanceMoveChanged(run.id, HostKey.parse(run.hostKey), VmKey.parse(m.vmKey), m.vmName,
                m.action, m.state, m.attempt, m.targetHost == null ? null : HostKey.of(HostKey.parse(run.hostKey)
                .source(), m.targetHost), m.reason, now), now);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void publishRun(RecoveryRun run) {
        InstanceMove.Tally moves = InstanceMove.tally(run.id);
        Instant now = Instant.now();
        outbox.add(new RecoveryRunChanged(run.id, run.episodeId, HostKey.parse(run.hostKey),
                SourceKind.valueOf(run.platform), run.state, run.step, false, run.triggeredBy, (int) moves.total(),
                (int) moves.of(MoveState.SUCCEEDED), (int) moves.of(MoveState.FAILED),
                (int) moves.of(MoveState.SKIPPED), now, run.detail), now);
    }

    /** Ends a run from its moves' outcomes, and its episode with it. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void finish(RecoveryRun run, Instant now) {
        finish(run, now, null);
    }

    /**
     * Ends a run from its moves' outcomes, and its episode with it; {@code gaveUp}: why the run was ended before its
     * moves were (it ends FAILED, and its episode PARTIALLY_RECOVERED, or back to an operator when nothing moved).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void finish(RecoveryRun run, Instant now, String gaveUp) {
        InstanceMove.Tally moves = InstanceMove.tally(run.id);
        long ok = moves.of(MoveState.SUCCEEDED);
        long failed = moves.of(MoveState.FAILED);
        run.state = gaveUp != null ? RecoveryRunState.FAILED : failed == 0 ? RecoveryRunState.SUCCEEDED
                : ok > 0 ? RecoveryRunState.PARTIALLY_SUCCEEDED : RecoveryRunState.FAILED;
        run.finishedAt = now;
        run.leaseOwner = null;
        run.leaseUntil = null;
        run.detail = (gaveUp == null ? "" : "gave up: " + gaveUp + "; ") + ok + " moved, " + failed + " failed, "
                + (moves.total() - ok - failed) + " skipped";
        publishRun(run);
        audit.record("system", "finish-run", run.id.toString(), false, run.state.name(), run.detail);
        if (gaveUp != null && run.episodeId != null && run.kind == RecoveryRun.Kind.HOST) {
            HostFailure f = HostFailure.findById(run.episodeId);
            if (f != null && f.open()) {
                if (ok == 0) {
                    lifecycle.awaitApproval(f, "system", "recovery failed (" + run.detail + "): an operator decides;"
                            + " evacuate the host by hand when the cause is fixed", now);
                } else {
                    lifecycle.recovered(f, HostFailurePhase.PARTIALLY_RECOVERED, "system", run.detail, now);
                }
            }
            return;
        }
        if (run.episodeId != null) {
            HostFailure f = HostFailure.findById(run.episodeId);
            if (f != null && f.open() && run.kind == RecoveryRun.Kind.HOST) {
                lifecycle.recovered(f, failed == 0 ? HostFailurePhase.RECOVERED
                        : HostFailurePhase.PARTIALLY_RECOVERED, "system", run.detail, now);
                if (run.lastCallAt != null) {
                    lifecycle.timer("last_instance_active", f, Duration.between(f.firstEvidence(), now));
                }
            }
        }
    }
}
