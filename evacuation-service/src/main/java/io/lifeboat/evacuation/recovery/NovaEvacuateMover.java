package io.lifeboat.evacuation.recovery;

import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.recovery.MoveState;
import io.lifeboat.evacuation.audit.AuditLog;
import io.lifeboat.evacuation.config.EvacuationConfig;
import io.lifeboat.evacuation.platform.Platforms;
import io.lifeboat.evacuation.platform.openstack.NovaApi;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Nova: evacuate one instance from the failed host, and see it ACTIVE (or SHUTOFF, as it was) on another. */
@ApplicationScoped
class NovaEvacuateMover implements Mover {

    @Inject
    Platforms platforms;

    @Inject
    MoveTransitions moves;

    @Inject
    AuditLog audit;

    @Override
    public boolean begin(Context c, OpenMove m) {
        RecoveryRun run = c.run();
        EvacuationConfig.Source src = c.src();
        java.util.Set<String> enabled = c.enabledReserved();
        NovaApi nova = platforms.nova(run.sourceId);
        long moveId = m.id();
        String target = target(run, src, m.requestedTarget(), m.attempt());
        if (target != null && src.reservedHosts().orElse(List.of()).contains(target) && enabled.add(target)) {
            try {
                NovaApi.ComputeService s = nova.computeService(target).orElse(null);
                if (s != null && "disabled".equals(s.status())) {
                    nova.enable(target);
                    audit.record("system", "enable-reserved-host", run.sourceId + "/" + target, false, "OK",
                            "reserved host enabled for run " + run.id);
                }
            } catch (RuntimeException e) {
                enabled.remove(target);   // not enabled: the next try enables it first again
                throw e;
            }
        }
        InstanceMove ongoing = moves.markOngoing(run, moveId, m.attempt(), target);
        if (ongoing == null) {
            return false;   // another worker or replica has it
        }
        String where = "to " + (target == null ? "the scheduler's choice" : target);
        MoveTransitions.Outcome o = moves.callOnce(run, src, ongoing, where, () -> c.call(() -> {
            if (ongoing.resetFirst && ongoing.attempt == 1) {
                nova.resetState(ongoing.vmId, "error");
            }
            nova.evacuate(ongoing.vmId, target);
        }));
        if (o == MoveTransitions.Outcome.ACCEPTED) {
            c.accepted().add(moveId);
        }
        return o != MoveTransitions.Outcome.REFUSED;
    }

    /** One look at an evacuation: ACTIVE (or SHUTOFF) on another host, ERROR, not received, or the timeout. */
    @Override
    public boolean check(Context c, long moveId) {
        RecoveryRun run = c.run();
        EvacuationConfig.Source src = c.src();
        boolean accepted = c.accepted().contains(moveId);
        NovaApi nova = platforms.nova(run.sourceId);
        String failedHost = HostKey.parse(run.hostKey).hostId();
        InstanceMove m = moves.move(moveId);
        if (m.state != MoveState.ONGOING) {
            return true;
        }
        Optional<NovaApi.Server> found = nova.server(m.vmId);
        if (found.isEmpty()) {
            moves.end(run, moveId, MoveState.FAILED, null, "the server no longer exists");
            return true;
        }
        NovaApi.Server s = found.get();
        if (s.taskState() == null) {
            boolean moved = s.host() != null && !s.host().equals(failedHost);
            if (moved && ("ACTIVE".equals(s.status()) || "SHUTOFF".equals(s.status()))) {
                if (m.stopAfter && "ACTIVE".equals(s.status())) {
                    nova.stop(m.vmId);   // it was stopped before the failure: leave it stopped
                } else if (m.startAfter && "SHUTOFF".equals(s.status())) {
                    nova.start(m.vmId);  // 2.95+: evacuated instances end stopped
                }
                moves.end(run, moveId, MoveState.SUCCEEDED, s.host(), m.stopAfter ? "left stopped, as it was" : null);
                return true;
            }
            if (!moved) {
                boolean landed = accepted || landed(nova, run, failedHost, m);
                if (landed && "ERROR".equals(s.status())) {
                    moves.attemptFailed(run, src, moveId, "ended in ERROR"
                            + (s.fault() == null ? "" : ": " + s.fault()));
                    return true;
                }
                if (!landed && Instant.now().isAfter(m.calledAt.plus(src.pollInterval().multipliedBy(2)))) {
                    // The call never reached Nova (no migration record): it may be made again.
                    moves.repend(run, src, moveId, "the evacuate call was not received by Nova; calling again");
                    return true;
                }
            } else if ("ERROR".equals(s.status())) {
                moves.attemptFailed(run, src, moveId, "ended in ERROR on " + s.host() + (s.fault() == null ? ""
                        : ": " + s.fault()));
                return true;
            }
        }
        if (Instant.now().isAfter(m.calledAt.plus(src.instanceTimeout()))) {
            moves.end(run, moveId, MoveState.FAILED, null, "not ACTIVE on another host "
                    + src.instanceTimeout().toSeconds() + " s after the evacuate call (status " + s.status()
                    + ", task " + s.taskState() + ")");
            return true;
        }
        return false;
    }

    /**
     * Whether attempt N of this move reached Nova: every accepted evacuate leaves one evacuation migration from the
     * failed host (wire-formats.md A.1, check 6), so N attempts that landed leave N of them since the run began.
     */
    private boolean landed(NovaApi nova, RecoveryRun run, String failedHost, InstanceMove m) {
        Instant since = run.createdAt.minus(Duration.ofMinutes(5));
        long n = nova.evacuations(m.vmId).stream()
                .filter(x -> failedHost.equals(x.sourceCompute()))
                .filter(x -> x.createdAt() == null || !x.createdAt().isBefore(since))
                .count();
        return n >= m.attempt;
    }

    /**
     * The operator's target, else the reserved hosts in order (one per attempt), else the scheduler (null). A reserved
     * host that is the failed host itself is not one (evacuate would refuse it: "The target host can't be the same
     * one").
     */
    private static String target(RecoveryRun run, EvacuationConfig.Source src, String requestedTarget, int attempt) {
        if (requestedTarget != null) {
            return requestedTarget;
        }
        if (run.targetHost != null) {
            return run.targetHost;
        }
        String failedHost = HostKey.parse(run.hostKey).hostId();
        List<String> reserved = src.reservedHosts().orElse(List.of()).stream().filter(h -> !h.equals(failedHost))
                .toList();
        return attempt < reserved.size() ? reserved.get(attempt) : null;
    }
}
