package io.lifeboat.evacuation.operator;

import io.lifeboat.common.failure.HostFailurePhase;
import io.lifeboat.common.recovery.MoveState;
import io.lifeboat.common.recovery.RecoveryRunState;
import io.lifeboat.common.recovery.RecoveryStep;
import io.lifeboat.evacuation.audit.AuditLog;
import io.lifeboat.evacuation.episode.HostFailure;
import io.lifeboat.evacuation.failure.HostFailureLifecycle;
import io.lifeboat.evacuation.view.HostView;
import io.lifeboat.evacuation.view.VmView;
import io.lifeboat.cloud.CloudCallException;
import io.lifeboat.evacuation.platform.Platforms;
import io.lifeboat.evacuation.recovery.InstanceMove;
import io.lifeboat.evacuation.recovery.PlannedMove;
import io.lifeboat.evacuation.recovery.RecoveryPlanner;
import io.lifeboat.evacuation.recovery.RecoveryRun;
import io.lifeboat.evacuation.recovery.RecoveryRuns;
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
 * Operators' "evacuate now": everything of a host, or one VM, optionally to a chosen host, without waiting for the
 * failure lifecycle. A dry run reads the cloud and changes nothing; every action is audited, dry runs and refusals
 * included. Nothing is recovered from a host that is neither fenced nor confirmed powered off by the operator
 * ({@code confirmFenced}), and never while another run recovers the same host.
 */
@ApplicationScoped
public class OperatorEvacuations {

    @Inject
    OperatorActions actions;

    @Inject
    HostFailureLifecycle lifecycle;

    @Inject
    io.lifeboat.evacuation.failure.EpisodePhases phases;

    @Inject
    RecoveryRuns runs;

    @Inject
    Platforms platforms;

    @Inject
    AuditLog audit;

    @Inject
    EntityManager em;

    /** Evacuates (OpenStack) or restarts (oVirt) everything of a host now. */
    public OperatorActions.Outcome evacuateHost(String sourceId, String hostId, String actor, boolean confirmFenced,
                                String targetHost, String reason, boolean dryRun) {
        return actions.planned(decideEvacuateHost(sourceId, hostId, actor, confirmFenced, targetHost, reason, dryRun));
    }

    @Transactional(dontRollbackOn = ProblemException.class)
    OperatorActions.Decided decideEvacuateHost(String sourceId, String hostId, String actor, boolean confirmFenced,
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
            return new OperatorActions.Decided(new OperatorActions.Outcome("dry run", open.map(f -> f.id).orElse(null), null, blockers, List.of()),
                    platforms.source(sourceId).isEmpty() ? null : transientRun(host, RecoveryRun.Kind.HOST, actor,
                            target, open.map(f -> f.id).orElse(null)));
        }
        actions.refuseIfBlocked(actor, "evacuate-host", host.hostKey, blockers);
        Instant now = Instant.now();
        HostFailure f = open.orElseGet(() -> openByOperator(host, actor, now));
        if (!f.fenced()) {
            phases.markFenced(f, "operator:" + actor, "confirmed powered off by " + actor + " (evacuate host now)"
                    + (reason == null ? "" : ": " + reason), now);
        }
        RecoveryRun run = runs.newRun(f.id, host.hostKey, sourceId, host.platform, RecoveryRun.Kind.HOST,
                "operator:" + actor, target);
        run.step = RecoveryStep.FENCE_HOST;
        run.persist();
        runs.begin(run, f, "operator:" + actor, now);
        audit.record(actor, "evacuate-host", host.hostKey, false, "RUNNING", "run " + run.id
                + (reason == null ? "" : ": " + reason));
        return OperatorActions.Decided.done(new OperatorActions.Outcome("running", f.id, run.id, List.of(), List.of()));
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

    /**
     * Evacuates one VM (OpenStack) or starts it on another host (oVirt), optionally to a target host. The VM's plan is
     * read from the cloud first, outside any transaction; then the action is decided in one.
     */
    public OperatorActions.Outcome evacuateVm(String sourceId, String vmId, String actor, boolean confirmFenced, String targetHost,
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
    OperatorActions.Outcome decideEvacuateVm(String sourceId, String vmId, String actor, boolean confirmFenced, String targetHost,
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
            return new OperatorActions.Outcome("dry run", open.map(f -> f.id).orElse(null), null, blockers, plan);
        }
        actions.refuseIfBlocked(actor, "evacuate-vm", vm.vmKey, blockers);
        Instant now = Instant.now();
        HostFailure f = open.orElse(null);
        if (f != null && !f.fenced()) {
            phases.markFenced(f, "operator:" + actor, "confirmed powered off by " + actor + " (evacuate VM "
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
        return new OperatorActions.Outcome("running", run.episodeId, run.id, List.of(), List.of());
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
}
