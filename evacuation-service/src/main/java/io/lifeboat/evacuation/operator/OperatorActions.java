package io.lifeboat.evacuation.operator;

import io.lifeboat.common.failure.HostFailurePhase;
import io.lifeboat.common.recovery.RecoveryRunState;
import io.lifeboat.common.recovery.RecoveryStep;
import io.lifeboat.evacuation.audit.AuditLog;
import io.lifeboat.evacuation.episode.HostFailure;
import io.lifeboat.evacuation.failure.HostFailureLifecycle;
import io.lifeboat.cloud.CloudCallException;
import io.lifeboat.evacuation.platform.Platforms;
import io.lifeboat.evacuation.recovery.FailoverPredictor;
import io.lifeboat.evacuation.recovery.InstanceMove;
import io.lifeboat.evacuation.recovery.PlannedMove;
import io.lifeboat.evacuation.recovery.PrepareInstanceListStep;
import io.lifeboat.evacuation.recovery.RecoveryRun;
import io.lifeboat.evacuation.recovery.RecoveryRuns;
import io.lifeboat.evacuation.platform.openstack.NovaApi;
import io.lifeboat.service.rest.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What operators may do with runs and episodes: approve or cancel a waiting run, confirm a host fenced by hand, cancel
 * an episode ({@link OperatorEvacuations}: evacuate a host or one VM now). Each has a dry run that reads the clouds and
 * changes nothing; each is audited, dry runs and refusals included. The safety rules hold for operators too: nothing
 * is recovered from a host that is neither fenced nor confirmed powered off by the operator, and never while another
 * run recovers the same host.
 */
@ApplicationScoped
public class OperatorActions {

    @Inject
    HostFailureLifecycle lifecycle;

    @Inject
    io.lifeboat.evacuation.failure.EpisodePhases phases;

    @Inject
    RecoveryRuns runs;

    @Inject
    PrepareInstanceListStep planning;

    @Inject
    Platforms platforms;

    @Inject
    AuditLog audit;

    @Inject
    io.lifeboat.evacuation.failure.Unfencing unfencing;

    /**
     * The outcome of an action: what it did, or (dry run) the plan, what blocks it and (OpenStack) the failover plan's
     * prediction of where each instance would go.
     */
    public record Outcome(String result, UUID episodeId, UUID runId, List<String> blockers, List<PlannedMove> plan,
                          List<?> prediction) {
        public Outcome(String result, UUID episodeId, UUID runId, List<String> blockers, List<PlannedMove> plan) {
            this(result, episodeId, runId, blockers, plan, null);
        }
    }

    @Inject
    jakarta.enterprise.inject.Instance<FailoverPredictor> predictors;

    // ------------------------------------------------------------------ runs and episodes

    /**
     * What a decision made in a transaction leaves to do after it: a dry run's plan, read from the cloud once the
     * transaction has ended (no cloud call is made while a transaction holds a connection and its locks).
     */
    record Decided(Outcome outcome, RecoveryRun planFor) {

        static Decided done(Outcome outcome) {
            return new Decided(outcome, null);
        }
    }

    /** The outcome, with its dry run's plan read from the cloud, outside any transaction. */
    Outcome planned(Decided d) {
        if (d.planFor() == null) {
            return d.outcome();
        }
        Outcome o = d.outcome();
        List<PlannedMove> plan = plan(d.planFor());
        RecoveryRun r = d.planFor();
        List<?> prediction = r.kind == RecoveryRun.Kind.HOST && predictors.isResolvable()
                ? predictors.get().predict(r.sourceId, r.hostKey, r.platform, plan).orElse(null) : null;
        return new Outcome(o.result(), o.episodeId(), o.runId(), o.blockers(), plan, prediction);
    }

    public Outcome approve(UUID runId, String actor, boolean confirmFenced, String reason, boolean dryRun) {
        return planned(decideApprove(runId, actor, confirmFenced, reason, dryRun));
    }

    @Transactional(dontRollbackOn = ProblemException.class)
    Decided decideApprove(UUID runId, String actor, boolean confirmFenced, String reason, boolean dryRun) {
        RecoveryRun run = RecoveryRun.findById(runId);
        if (run == null) {
            throw ProblemException.notFound("run-not-found", "no recovery run " + runId);
        }
        String target = "run " + runId;
        // The episode locked first, as the replicas lock it when they start its recovery; the run read again then.
        HostFailure f = run.episodeId == null ? null : HostFailure.findById(run.episodeId,
                jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (f != null) {
            RecoveryRun.getEntityManager().refresh(run);
        }
        List<String> blockers = new ArrayList<>();
        if (run.state != RecoveryRunState.AWAITING_APPROVAL) {
            blockers.add("the run is " + run.state + ", not waiting for approval");
        }
        if (f != null && !f.fenced() && !confirmFenced) {
            blockers.add("host " + f.hostName + " is not fenced: confirm it is powered off (confirmFenced=true), or"
                    + " fence it first");
        }
        if (platforms.source(run.sourceId).isEmpty()) {
            blockers.add("source " + run.sourceId + " is not configured for recovery");
        }
        if (dryRun) {
            audit.record(actor, "approve-run", target, true, blockers.isEmpty() ? "WOULD_RUN" : "BLOCKED",
                    String.join("; ", blockers));
            return new Decided(new Outcome("dry run", run.episodeId, run.id, blockers, List.of()),
                    blockers.isEmpty() ? run : null);
        }
        refuseIfBlocked(actor, "approve-run", target, blockers);
        Instant now = Instant.now();
        if (f != null && !f.fenced()) {
            phases.markFenced(f, "operator:" + actor, "confirmed powered off by " + actor
                    + (reason == null ? "" : ": " + reason), now);
        }
        runs.begin(run, f, "operator:" + actor, now);
        audit.record(actor, "approve-run", target, false, "RUNNING", reason);
        return Decided.done(new Outcome("approved: the run is running", run.episodeId, run.id, List.of(),
                List.of()));
    }

    @Transactional(dontRollbackOn = ProblemException.class)
    public Outcome cancelRun(UUID runId, String actor, String reason, boolean dryRun) {
        RecoveryRun run = RecoveryRun.findById(runId);
        if (run == null) {
            throw ProblemException.notFound("run-not-found", "no recovery run " + runId);
        }
        String target = "run " + runId;
        List<String> blockers = run.active() ? List.of() : List.of("the run already ended (" + run.state + ")");
        if (dryRun) {
            audit.record(actor, "cancel-run", target, true, blockers.isEmpty() ? "WOULD_CANCEL" : "BLOCKED",
                    String.join("; ", blockers));
            return new Outcome("dry run", run.episodeId, run.id, blockers, List.of());
        }
        refuseIfBlocked(actor, "cancel-run", target, blockers);
        Instant now = Instant.now();
        run.state = RecoveryRunState.CANCELLED;
        run.finishedAt = now;
        run.detail = "cancelled by " + actor + (reason == null ? "" : ": " + reason)
                + (run.step == RecoveryStep.EVACUATE_INSTANCES || run.step == RecoveryStep.START_VMS
                ? " (calls already made are not undone)" : "");
        runs.publishRun(run);
        HostFailure f = run.episodeId == null ? null : HostFailure.findById(run.episodeId);
        if (f != null && f.open() && run.kind == RecoveryRun.Kind.HOST) {
            phases.close(f, HostFailurePhase.ABANDONED, "operator:" + actor, run.detail, now);
        }
        audit.record(actor, "cancel-run", target, false, "CANCELLED", reason);
        return new Outcome("cancelled", run.episodeId, run.id, List.of(), List.of());
    }

    @Transactional(dontRollbackOn = ProblemException.class)
    public Outcome confirmFenced(UUID episodeId, String actor, String reason, boolean dryRun) {
        HostFailure f = episode(episodeId);
        String target = f.hostKey;
        List<String> blockers = new ArrayList<>();
        if (!f.open()) {
            blockers.add("the episode is closed (" + f.phase + ")");
        } else if (f.fenced()) {
            blockers.add("the host is already fenced (by " + f.fencedBy + ")");
        }
        if (dryRun) {
            audit.record(actor, "confirm-fenced", target, true, blockers.isEmpty() ? "WOULD_CONFIRM" : "BLOCKED",
                    String.join("; ", blockers));
            return new Outcome("dry run", f.id, null, blockers, List.of());
        }
        refuseIfBlocked(actor, "confirm-fenced", target, blockers);
        phases.markFenced(f, "operator:" + actor, "confirmed powered off by " + actor
                + (reason == null ? "" : ": " + reason), Instant.now());
        audit.record(actor, "confirm-fenced", target, false, "FENCED", reason);
        return new Outcome("fenced by operator's confirmation; recovery follows", f.id, null, List.of(), List.of());
    }

    @Transactional(dontRollbackOn = ProblemException.class)
    public Outcome cancelEpisode(UUID episodeId, String actor, String reason, boolean dryRun) {
        HostFailure f = episode(episodeId);
        List<String> blockers = new ArrayList<>();
        if (!f.open()) {
            blockers.add("the episode is closed (" + f.phase + ")");
        }
        RecoveryRuns.activeFor(f.hostKey).filter(r -> r.state == RecoveryRunState.RUNNING).ifPresent(r ->
                blockers.add("run " + r.id + " is running: cancel the run"));
        if (dryRun) {
            audit.record(actor, "cancel-episode", f.hostKey, true, blockers.isEmpty() ? "WOULD_CANCEL" : "BLOCKED",
                    String.join("; ", blockers));
            return new Outcome("dry run", f.id, null, blockers, List.of());
        }
        refuseIfBlocked(actor, "cancel-episode", f.hostKey, blockers);
        if (f.phase.recovered()) {
            // Recovered, its host still down: closing it keeps what happened, and the host's next failure is new.
            phases.close(f, f.phase, "operator:" + actor, "closed by " + actor + " after its recovery"
                    + (reason == null ? "" : ": " + reason), Instant.now());
            audit.record(actor, "cancel-episode", f.hostKey, false, "CLOSED", reason);
            return new Outcome("closed", f.id, null, List.of(), List.of());
        }
        runs.cancelActive(f, "operator:" + actor, "episode cancelled by " + actor);
        phases.close(f, HostFailurePhase.ABANDONED, "operator:" + actor, "cancelled by " + actor
                + (reason == null ? "" : ": " + reason), Instant.now());
        audit.record(actor, "cancel-episode", f.hostKey, false, "ABANDONED", reason);
        return new Outcome("cancelled", f.id, null, List.of(), List.of());
    }

    /**
     * Unfences the episode's host (OpenStack): unsets forced_down and enables its service, once it is back and its
     * recovery has ended; the Nova call is made outside any transaction.
     */
    public Outcome unfence(UUID episodeId, String actor, String reason, boolean dryRun) {
        HostFailure f = decideUnfence(episodeId, actor, dryRun);
        if (dryRun) {
            return new Outcome("dry run", f.id, null, unfenceBlockers(episodeId), List.of());
        }
        try {
            NovaApi.ComputeService s = unfencing.unfence(f.sourceId, f.hostName);
            unfencing.unfenced(f.id, "operator:" + actor, "unfenced by " + actor + (reason == null ? "" : " (" + reason
                    + ")") + ": forced_down unset, service " + s.status());
        } catch (CloudCallException e) {
            recordRefusal(actor, f.hostKey, e.getMessage());
            throw new ProblemException(io.lifeboat.service.rest.Problem.of("cloud-unavailable", "Cloud unavailable",
                    503, "cannot unfence " + f.hostName + " in " + f.sourceId + ": " + e.getMessage()));
        }
        return new Outcome("unfenced: forced_down unset and the service enabled; the episode closes when Nova reports"
                + " the host up", f.id, null, List.of(), List.of());
    }

    @Transactional(dontRollbackOn = ProblemException.class)
    HostFailure decideUnfence(UUID episodeId, String actor, boolean dryRun) {
        HostFailure f = episode(episodeId);
        List<String> blockers = unfencing.blockers(f);
        if (dryRun) {
            audit.record(actor, "unfence", f.hostKey, true, blockers.isEmpty() ? "WOULD_UNFENCE" : "BLOCKED",
                    String.join("; ", blockers));
            return f;
        }
        refuseIfBlocked(actor, "unfence", f.hostKey, blockers);
        return f;
    }

    @Transactional
    List<String> unfenceBlockers(UUID episodeId) {
        return unfencing.blockers(episode(episodeId));
    }

    @Transactional
    void recordRefusal(String actor, String hostKey, String error) {
        audit.record(actor, "unfence", hostKey, false, "FAILED", error);
    }

    private HostFailure episode(UUID id) {
        HostFailure f = HostFailure.findById(id);
        if (f == null) {
            throw ProblemException.notFound("episode-not-found", "no host-failure episode " + id);
        }
        return f;
    }

    // ------------------------------------------------------------------ helpers

    /** A run's plan: a one-VM run's stored moves, else the instances read from the cloud now. */
    List<PlannedMove> plan(RecoveryRun run) {
        if (run.kind == RecoveryRun.Kind.VM) {
            return InstanceMove.ofRun(run.id).stream().map(m -> new PlannedMove(m.vmKey, m.vmId, m.vmName, m.action,
                    m.state, m.priority, m.originalState, m.resetFirst, m.stopAfter, m.startAfter, m.requestedTarget,
                    m.notBefore, m.reason)).toList();
        }
        try {
            return planning.plan(run);
        } catch (CloudCallException e) {
            throw new ProblemException(io.lifeboat.service.rest.Problem.of("cloud-unavailable", "Cloud unavailable",
                    503, "cannot read " + run.sourceId + " to plan: " + e.getMessage()));
        }
    }

    /** Audits and refuses (409) an action that something blocks. */
    void refuseIfBlocked(String actor, String action, String target, List<String> blockers) {
        if (!blockers.isEmpty()) {
            audit.record(actor, action, target, false, "REFUSED", String.join("; ", blockers));
            throw ProblemException.conflict("action-refused", String.join("; ", blockers));
        }
    }
}
