package io.lifeboat.evacuation.recovery;

import io.lifeboat.common.failure.HostFailurePhase;
import io.lifeboat.common.recovery.MoveState;
import io.lifeboat.common.recovery.RecoveryRunState;
import io.lifeboat.common.recovery.RecoveryStep;
import io.lifeboat.evacuation.audit.AuditLog;
import io.lifeboat.evacuation.failure.HostFailure;
import io.lifeboat.evacuation.failure.HostFailureLifecycle;
import io.lifeboat.evacuation.inventory.HostView;
import io.lifeboat.evacuation.inventory.VmView;
import io.lifeboat.evacuation.platform.CloudCallException;
import io.lifeboat.evacuation.platform.Platforms;
import io.lifeboat.evacuation.platform.openstack.NovaApi;
import io.lifeboat.evacuation.platform.ovirt.OvirtApi;
import io.lifeboat.service.rest.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What operators may do: approve or cancel a waiting run, confirm a host fenced by hand, cancel an episode, evacuate
 * a host now, evacuate one VM. Each has a dry run that reads the clouds and changes nothing; each is audited, dry runs
 * and refusals included. The safety rules hold for operators too: nothing is recovered from a host that is neither
 * fenced nor confirmed powered off by the operator, and never while another run recovers the same host.
 */
@ApplicationScoped
public class OperatorActions {

    @Inject
    HostFailureLifecycle lifecycle;

    @Inject
    RecoveryRuns runs;

    @Inject
    PrepareInstanceListStep planning;

    @Inject
    Platforms platforms;

    @Inject
    AuditLog audit;

    @Inject
    EntityManager em;

    /** The outcome of an action: what it did, or (dry run) the plan and what blocks it. */
    public record Outcome(String result, UUID episodeId, UUID runId, List<String> blockers, List<PlannedMove> plan) {
    }

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
    private Outcome planned(Decided d) {
        if (d.planFor() == null) {
            return d.outcome();
        }
        Outcome o = d.outcome();
        return new Outcome(o.result(), o.episodeId(), o.runId(), o.blockers(), plan(d.planFor()));
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
        List<String> blockers = new ArrayList<>();
        if (run.state != RecoveryRunState.AWAITING_APPROVAL) {
            blockers.add("the run is " + run.state + ", not waiting for approval");
        }
        HostFailure f = run.episodeId == null ? null : HostFailure.findById(run.episodeId);
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
            lifecycle.markFenced(f, "operator:" + actor, "confirmed powered off by " + actor
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
            lifecycle.close(f, HostFailurePhase.ABANDONED, "operator:" + actor, run.detail, now);
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
        lifecycle.markFenced(f, "operator:" + actor, "confirmed powered off by " + actor
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
            lifecycle.close(f, f.phase, "operator:" + actor, "closed by " + actor + " after its recovery"
                    + (reason == null ? "" : ": " + reason), Instant.now());
            audit.record(actor, "cancel-episode", f.hostKey, false, "CLOSED", reason);
            return new Outcome("closed", f.id, null, List.of(), List.of());
        }
        runs.cancelActive(f, "operator:" + actor, "episode cancelled by " + actor);
        lifecycle.close(f, HostFailurePhase.ABANDONED, "operator:" + actor, "cancelled by " + actor
                + (reason == null ? "" : ": " + reason), Instant.now());
        audit.record(actor, "cancel-episode", f.hostKey, false, "ABANDONED", reason);
        return new Outcome("cancelled", f.id, null, List.of(), List.of());
    }

    private HostFailure episode(UUID id) {
        HostFailure f = HostFailure.findById(id);
        if (f == null) {
            throw ProblemException.notFound("episode-not-found", "no host-failure episode " + id);
        }
        return f;
    }

    // ------------------------------------------------------------------ evacuate now

    /** Evacuates (OpenStack) or restarts (oVirt) everything of a host now. */
    public Outcome evacuateHost(String sourceId, String hostId, String actor, boolean confirmFenced,
                                String targetHost, String reason, boolean dryRun) {
        return planned(decideEvacuateHost(sourceId, hostId, actor, confirmFenced, targetHost, reason, dryRun));
    }

    @Transactional(dontRollbackOn = ProblemException.class)
    Decided decideEvacuateHost(String sourceId, String hostId, String actor, boolean confirmFenced,
                               String targetHost, String reason, boolean dryRun) {
        HostView host = host(sourceId, hostId);
        List<String> blockers = new ArrayList<>();
        if (platforms.source(sourceId).isEmpty()) {
            blockers.add("source " + sourceId + " is not configured for recovery");
        }
        Optional<HostFailure> open = HostFailure.openFor(host.hostKey);
        RecoveryRuns.activeFor(host.hostKey).ifPresent(r -> blockers.add("run " + r.id + " is already " + r.state
                + " for this host" + (r.state == RecoveryRunState.AWAITING_APPROVAL ? ": approve it instead" : "")));
        boolean fenced = open.map(HostFailure::fenced).orElse(false);
        if (!fenced && !confirmFenced) {
            blockers.add("host " + host.name + " is not fenced: confirm it is powered off (confirmFenced=true)");
        }
        String target = resolveTarget(host, targetHost, blockers);
        if (dryRun) {
            audit.record(actor, "evacuate-host", host.hostKey, true, blockers.isEmpty() ? "WOULD_RUN" : "BLOCKED",
                    String.join("; ", blockers));
            return new Decided(new Outcome("dry run", open.map(f -> f.id).orElse(null), null, blockers, List.of()),
                    platforms.source(sourceId).isEmpty() ? null : transientRun(host, RecoveryRun.Kind.HOST, actor,
                            target, open.map(f -> f.id).orElse(null)));
        }
        refuseIfBlocked(actor, "evacuate-host", host.hostKey, blockers);
        Instant now = Instant.now();
        HostFailure f = open.orElseGet(() -> openByOperator(host, actor, now));
        if (!f.fenced()) {
            lifecycle.markFenced(f, "operator:" + actor, "confirmed powered off by " + actor + " (evacuate host now)"
                    + (reason == null ? "" : ": " + reason), now);
        }
        RecoveryRun run = runs.newRun(f.id, host.hostKey, sourceId, host.platform, RecoveryRun.Kind.HOST,
                "operator:" + actor, target);
        run.step = RecoveryStep.FENCE_HOST;
        run.persist();
        runs.begin(run, f, "operator:" + actor, now);
        audit.record(actor, "evacuate-host", host.hostKey, false, "RUNNING", "run " + run.id
                + (reason == null ? "" : ": " + reason));
        return Decided.done(new Outcome("running", f.id, run.id, List.of(), List.of()));
    }

    private HostFailure openByOperator(HostView host, String actor, Instant now) {
        HostFailure f = new HostFailure();
        f.id = UUID.randomUUID();
        f.hostKey = host.hostKey;
        f.sourceId = host.sourceId;
        f.platform = host.platform;
        f.hostName = host.name;
        f.phase = HostFailurePhase.CONFIRMED;
        f.firstSignalAt = now;
        f.confirmedAt = now;
        f.reason = "operator " + actor + " asked to evacuate the host";
        f.updatedAt = now;
        f.persist();
        em.flush();   // the unique index (one open episode per host) is checked here
        return f;
    }

    /** Evacuates one VM (OpenStack) or starts it on another host (oVirt), optionally to a target host. */
    /** The VM's plan is read from the cloud first, outside any transaction; then the action is decided in one. */
    public Outcome evacuateVm(String sourceId, String vmId, String actor, boolean confirmFenced, String targetHost,
                              String reason, boolean dryRun) {
        VmOnHost at = locate(sourceId, vmId);
        List<PlannedMove> plan = List.of();
        String unreadable = null;
        if (platforms.source(sourceId).isPresent()) {
            try {
                plan = planVm(at.host(), at.vm(), targetHost == null || targetHost.isBlank() ? null
                        : targetOf(at.host(), targetHost));
            } catch (CloudCallException e) {
                unreadable = "cannot read the VM from the cloud: " + e.getMessage();
            }
        }
        return decideEvacuateVm(sourceId, vmId, actor, confirmFenced, targetHost, reason, dryRun, plan, unreadable);
    }

    record VmOnHost(VmView vm, HostView host) {
    }

    @Transactional
    VmOnHost locate(String sourceId, String vmId) {
        VmView vm = VmView.findById(sourceId + "/" + vmId);
        if (vm == null || vm.removed) {
            throw ProblemException.notFound("vm-not-found", "no VM " + sourceId + "/" + vmId + " in the inventory");
        }
        String hostKey = vm.hostKey != null ? vm.hostKey : vm.runningHostKey != null ? vm.runningHostKey
                : vm.lastHostKey;
        if (hostKey == null) {
            throw ProblemException.conflict("vm-without-host", "VM " + vm.name + " has no known host to evacuate"
                    + " from");
        }
        HostView host = HostView.findById(hostKey);
        if (host == null) {
            throw ProblemException.conflict("host-unknown", "the host of VM " + vm.name + " (" + hostKey + ") is not"
                    + " in the inventory");
        }
        return new VmOnHost(vm, host);
    }

    /** The target's host id, as {@link #resolveTarget} names it (its blockers are found again in the decision). */
    @Transactional
    String targetOf(HostView failed, String targetHost) {
        return resolveTarget(failed, targetHost, new ArrayList<>());
    }

    @Transactional(dontRollbackOn = ProblemException.class)
    Outcome decideEvacuateVm(String sourceId, String vmId, String actor, boolean confirmFenced, String targetHost,
                             String reason, boolean dryRun, List<PlannedMove> plan, String unreadable) {
        VmOnHost at = locate(sourceId, vmId);
        VmView vm = at.vm();
        HostView host = at.host();
        String hostKey = host.hostKey;
        List<String> blockers = new ArrayList<>();
        if (platforms.source(sourceId).isEmpty()) {
            blockers.add("source " + sourceId + " is not configured for recovery");
        }
        Optional<HostFailure> open = HostFailure.openFor(hostKey);
        RecoveryRuns.activeFor(hostKey).ifPresent(r -> blockers.add("run " + r.id + " is already " + r.state
                + " for host " + host.name));
        if (!open.map(HostFailure::fenced).orElse(false) && !confirmFenced) {
            blockers.add("host " + host.name + " is not fenced: confirm it is powered off (confirmFenced=true)");
        }
        String target = resolveTarget(host, targetHost, blockers);
        if (unreadable != null) {
            blockers.add(unreadable);
        }
        plan.stream().filter(p -> p.state() == MoveState.SKIPPED).forEach(p -> blockers.add(p.reason()));
        if (dryRun) {
            audit.record(actor, "evacuate-vm", vm.vmKey, true, blockers.isEmpty() ? "WOULD_RUN" : "BLOCKED",
                    String.join("; ", blockers));
            return new Outcome("dry run", open.map(f -> f.id).orElse(null), null, blockers, plan);
        }
        refuseIfBlocked(actor, "evacuate-vm", vm.vmKey, blockers);
        Instant now = Instant.now();
        HostFailure f = open.orElse(null);
        if (f != null && !f.fenced()) {
            lifecycle.markFenced(f, "operator:" + actor, "confirmed powered off by " + actor + " (evacuate VM "
                    + vm.name + ")", now);
        }
        RecoveryRun run = runs.newRun(f == null ? null : f.id, hostKey, sourceId, host.platform, RecoveryRun.Kind.VM,
                "operator:" + actor, target);
        run.step = RecoveryStep.FENCE_HOST;
        run.persist();
        runs.addMoves(run, plan);
        runs.begin(run, null, "operator:" + actor, now);
        audit.record(actor, "evacuate-vm", vm.vmKey, false, "RUNNING", "run " + run.id
                + (reason == null ? "" : ": " + reason));
        return new Outcome("running", run.episodeId, run.id, List.of(), List.of());
    }

    private List<PlannedMove> planVm(HostView host, VmView vm, String target) {
        if ("OVIRT".equals(host.platform)) {
            OvirtApi.Vm live = platforms.ovirt(host.sourceId).vm(vm.vmId).orElseThrow(() ->
                    ProblemException.notFound("vm-not-found", "the engine has no VM " + vm.vmId));
            if (!"down".equals(live.status())) {
                return List.of(PlannedMove.skip(vm.vmKey, vm.vmId, vm.name, live.status(), live.haPriority(),
                        "VM " + vm.name + " is " + live.status() + ": only a down VM is started elsewhere"));
            }
            return List.of(new PlannedMove(vm.vmKey, vm.vmId, vm.name, InstanceMove.START, MoveState.PENDING,
                    live.haPriority(), live.status(), false, false, false, target, null, null));
        }
        NovaApi nova = platforms.nova(host.sourceId);
        NovaApi.Server s = nova.server(vm.vmId).orElseThrow(() ->
                ProblemException.notFound("vm-not-found", "Nova has no server " + vm.vmId));
        if ("soft-delete".equals(s.vmState())) {
            return List.of(PlannedMove.skip(vm.vmKey, vm.vmId, vm.name, s.vmState(), 0, "soft-deleted: restore it"
                    + " first"));
        }
        return List.of(RecoveryPlanner.evacuation(vm.vmKey, s, vm.haPriority, nova.microversion(), target));
    }

    // ------------------------------------------------------------------ helpers

    private HostView host(String sourceId, String hostId) {
        HostView h = HostView.byIdOrName(sourceId, hostId);
        if (h == null) {
            throw ProblemException.notFound("host-not-found", "no host " + sourceId + "/" + hostId
                    + " in the inventory");
        }
        return h;
    }

    /** The target as the platform takes it: the Nova service host, or the oVirt host id. */
    private String resolveTarget(HostView failed, String targetHost, List<String> blockers) {
        if (targetHost == null || targetHost.isBlank()) {
            return null;
        }
        HostView t = HostView.byIdOrName(failed.sourceId, targetHost);
        if (t == null) {
            blockers.add("target host " + targetHost + " is not a host of " + failed.sourceId);
            return null;
        }
        if (t.hostKey.equals(failed.hostKey)) {
            blockers.add("the target host is the failed host");
        }
        return t.hostId;
    }

    private RecoveryRun transientRun(HostView host, RecoveryRun.Kind kind, String actor, String target,
                                     UUID episodeId) {
        RecoveryRun run = new RecoveryRun();
        run.id = UUID.randomUUID();
        run.episodeId = episodeId;
        run.hostKey = host.hostKey;
        run.sourceId = host.sourceId;
        run.platform = host.platform;
        run.kind = kind;
        run.triggeredBy = actor;
        run.targetHost = target;
        run.createdAt = Instant.now();
        return run;
    }

    private List<PlannedMove> plan(RecoveryRun run) {
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

    private void refuseIfBlocked(String actor, String action, String target, List<String> blockers) {
        if (!blockers.isEmpty()) {
            audit.record(actor, action, target, false, "REFUSED", String.join("; ", blockers));
            throw ProblemException.conflict("action-refused", String.join("; ", blockers));
        }
    }
}
