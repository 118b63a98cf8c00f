package io.lifeboat.evacuation.rest;

import io.lifeboat.common.failure.HostFailurePhase;
import io.lifeboat.common.recovery.MoveState;
import io.lifeboat.common.recovery.RecoveryRunState;
import io.lifeboat.common.recovery.RecoveryStep;
import io.lifeboat.evacuation.audit.AuditEntry;
import io.lifeboat.evacuation.episode.HostFailure;
import io.lifeboat.evacuation.recovery.InstanceMove;
import io.lifeboat.evacuation.recovery.PlannedMove;
import io.lifeboat.evacuation.recovery.RecoveryRun;
import io.lifeboat.evacuation.recovery.StepAttempt;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What the REST API shows: episodes, runs with their moves and timings, audit entries, dry-run plans. */
public final class Views {

    private Views() {
    }

    public record Episode(UUID id, String host, String hostName, String source, String platform,
                          HostFailurePhase phase, boolean open, boolean partition, boolean quarantined,
                          boolean sourceArmed, Instant firstEvidenceAt, Instant firstSignalAt,
                          Instant confirmedAt, Instant fencedAt, String fencedBy, Instant recoveringAt,
                          Instant closedAt, String reason, Timings timings, List<Map<String, Object>> evidence,
                          List<RunSummary> runs) {

        static Episode of(HostFailure f, List<RecoveryRun> runs, boolean sourceArmed, Timings timings,
                          List<Map<String, Object>> evidence) {
            return new Episode(f.id, f.hostKey, f.hostName, f.sourceId, f.platform, f.phase, f.open(), f.partition,
                    f.quarantined, sourceArmed, f.firstEvidence(), f.firstSignalAt, f.confirmedAt, f.fencedAt,
                    f.fencedBy, f.recoveringAt, f.closedAt, f.reason, timings, evidence,
                    runs.stream().map(RunSummary::of).toList());
        }
    }

    /**
     * An episode's recovery time, milestone by milestone, each in seconds from its first evidence (null: not reached):
     * suspected, confirmed, fenced, the service forced down, the first evacuate (or start) call, the last instance
     * active (or VM up) elsewhere.
     */
    public record Timings(Instant firstEvidenceAt, Double suspected, Double confirmed, Double fenced,
                          Double forcedDown, Double firstRecoveryCall, Double lastInstanceActive) {

        static Timings of(HostFailure f, List<RecoveryRun> runs, List<StepAttempt> steps, List<InstanceMove> moves) {
            Instant t0 = f.firstEvidence();
            Instant forcedDown = steps.stream().filter(a -> a.step == RecoveryStep.FORCE_SERVICE_DOWN
                    && a.outcome == StepAttempt.Outcome.DONE).map(a -> a.endedAt).filter(java.util.Objects::nonNull)
                    .min(Instant::compareTo).orElse(null);
            Instant firstCall = runs.stream().map(r -> r.firstCallAt).filter(java.util.Objects::nonNull)
                    .min(Instant::compareTo).orElse(null);
            boolean allDone = !moves.isEmpty() && moves.stream().noneMatch(m -> m.state == MoveState.PENDING
                    || m.state == MoveState.ONGOING);
            Instant lastActive = !allDone ? null : moves.stream().filter(m -> m.state == MoveState.SUCCEEDED)
                    .map(m -> m.finishedAt).filter(java.util.Objects::nonNull).max(Instant::compareTo).orElse(null);
            return new Timings(t0, secs(t0, f.firstSignalAt), secs(t0, f.confirmedAt), secs(t0, f.fencedAt),
                    secs(t0, forcedDown), secs(t0, firstCall), secs(t0, lastActive));
        }
    }

    public record RunSummary(UUID id, RecoveryRunState state, RecoveryStep step, String kind, String triggeredBy,
                             Instant createdAt, Instant finishedAt) {
        static RunSummary of(RecoveryRun r) {
            return new RunSummary(r.id, r.state, r.step, r.kind.name(), r.triggeredBy, r.createdAt, r.finishedAt);
        }
    }

    /**
     * A run with its moves and timings: seconds from the run's start to its first and last cloud call and to its
     * end.
     */
    public record Run(UUID id, UUID episodeId, String host, String source, String platform, String kind,
                      RecoveryRunState state, RecoveryStep step, String triggeredBy, String targetHost,
                      Instant createdAt, Instant startedAt, Instant firstCallAt, Instant lastCallAt,
                      Instant finishedAt, Double secondsToFirstCall, Double secondsToLastCall, Double secondsTotal,
                      String detail, Counts counts, List<Step> steps, List<Move> moves) {

        static Run of(RecoveryRun r, List<InstanceMove> moves, List<StepAttempt> steps) {
            return new Run(r.id, r.episodeId, r.hostKey, r.sourceId, r.platform, r.kind.name(), r.state, r.step,
                    r.triggeredBy, r.targetHost, r.createdAt, r.startedAt, r.firstCallAt, r.lastCallAt, r.finishedAt,
                    secs(r.startedAt, r.firstCallAt), secs(r.startedAt, r.lastCallAt), secs(r.startedAt, r.finishedAt),
                    r.detail, Counts.of(moves), steps.stream().map(Step::of).toList(),
                    moves.stream().map(Move::of).toList());
        }
    }

    /** One attempt of one step: when, how it ended (running while {@code outcome} is null), its progress line. */
    public record Step(RecoveryStep step, int attempt, Instant startedAt, Instant endedAt, String outcome,
                       Double seconds, String detail) {
        static Step of(StepAttempt a) {
            return new Step(a.step, a.attempt, a.startedAt, a.endedAt, a.outcome == null ? null : a.outcome.name(),
                    secs(a.startedAt, a.endedAt), a.detail);
        }
    }

    public record Counts(int total, int pending, int ongoing, int succeeded, int failed, int skipped) {
        static Counts of(List<InstanceMove> moves) {
            return new Counts(moves.size(), count(moves, MoveState.PENDING), count(moves, MoveState.ONGOING),
                    count(moves, MoveState.SUCCEEDED), count(moves, MoveState.FAILED), count(moves, MoveState.SKIPPED));
        }

        private static int count(List<InstanceMove> moves, MoveState s) {
            return (int) moves.stream().filter(m -> m.state == s).count();
        }
    }

    public record Move(String vm, String vmName, String action, MoveState state, int attempt, int priority,
                       String originalState, String targetHost, String reason, Instant calledAt, Instant startedAt,
                       Instant finishedAt, Double seconds) {
        static Move of(InstanceMove m) {
            return new Move(m.vmKey, m.vmName, m.action, m.state, m.attempt, m.priority, m.originalState,
                    m.targetHost, m.reason, m.calledAt, m.startedAt, m.finishedAt, secs(m.startedAt, m.finishedAt));
        }
    }

    public record Audit(long id, Instant at, String actor, String action, String target, boolean dryRun,
                        String result, String detail) {
        static Audit of(AuditEntry e) {
            return new Audit(e.id, e.at, e.actor, e.action, e.target, e.dryRun, e.result, e.detail);
        }
    }

    /** A dry run's answer: what would happen, and what would stop it now. Nothing was changed. */
    public record Plan(boolean dryRun, String action, String target, List<String> blockers, List<PlannedMove> moves) {
    }

    /** An operator action's answer. */
    public record ActionResult(String action, String target, String result, UUID episodeId, UUID runId) {
    }

    static Double secs(Instant from, Instant to) {
        return from == null || to == null ? null : Duration.between(from, to).toMillis() / 1000.0;
    }
}
