package io.lifeboat.evacuation.recovery;

import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.recovery.MoveState;
import io.lifeboat.evacuation.config.EvacuationConfig;
import io.lifeboat.evacuation.platform.ovirt.OvirtApi;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.Optional;

/** oVirt: start one VM of the failed host elsewhere, once the engine shows it down, and see it up. */
@ApplicationScoped
class OvirtStartMover extends OvirtMover {

    @Override
    public boolean begin(Context c, OpenMove pending) {
        return c.call(() -> begin(c, pending.id()));   // its reads of the engine too: within the concurrency
    }

    private boolean begin(Context c, long moveId) {
        RecoveryRun run = c.run();
        EvacuationConfig.Source src = c.src();
        OvirtApi api = platforms.ovirt(run.sourceId);
        String failedHost = HostKey.parse(run.hostKey).hostId();
        InstanceMove m = moves.move(moveId);
        if (m.state != MoveState.PENDING) {
            return m.state == MoveState.ONGOING;
        }
        Optional<OvirtApi.Vm> vm = engineVm(api, run, m, MoveState.SKIPPED);
        if (vm.isEmpty()) {
            return false;
        }
        OvirtApi.Vm v = vm.get();
        if (!"down".equals(v.status()) && v.hostId() != null && !v.hostId().equals(failedHost)) {
            moves.end(run, moveId, MoveState.SKIPPED, hostName(api, v.hostId()), "already running on "
                    + hostName(api, v.hostId()) + (v.ha() ? " (restarted by the engine)" : ""));
            return false;
        }
        if (!"down".equals(v.status())) {
            // Still unknown: the engine has not released it yet (the host is not marked fenced on its side).
            moves.waitFor(run, src, moveId, "the engine still shows it " + v.status());
            return false;
        }
        String target = m.requestedTarget != null ? m.requestedTarget : run.targetHost;
        InstanceMove ongoing = moves.markOngoing(run, moveId, m.attempt, target);
        if (ongoing == null) {
            return false;
        }
        String where = "on " + (target == null ? "the engine's choice" : hostName(api, target));
        return moves.callOnce(run, src, ongoing, where, () -> api.start(ongoing.vmId, target))
                != MoveTransitions.Outcome.REFUSED;
    }

    @Override
    public boolean check(Context c, long moveId) {
        RecoveryRun run = c.run();
        EvacuationConfig.Source src = c.src();
        OvirtApi api = platforms.ovirt(run.sourceId);
        InstanceMove m = moves.move(moveId);
        if (m.state != MoveState.ONGOING) {
            return true;
        }
        Optional<OvirtApi.Vm> vm = engineVm(api, run, m, MoveState.FAILED);
        if (vm.isEmpty()) {
            return true;
        }
        OvirtApi.Vm v = vm.get();
        if ("up".equals(v.status()) && v.hostId() != null) {
            moves.end(run, moveId, MoveState.SUCCEEDED, hostName(api, v.hostId()), null);
            return true;
        }
        if ("down".equals(v.status()) && Instant.now().isAfter(m.calledAt.plus(src.pollInterval().multipliedBy(3)))) {
            // Starting a DOWN VM again cannot run it twice: the engine refuses to start a running VM.
            moves.repend(run, src, moveId, "still down after the start call; starting again");
            return true;
        }
        if (Instant.now().isAfter(m.calledAt.plus(src.instanceTimeout()))) {
            moves.end(run, moveId, MoveState.FAILED, null, "not up " + src.instanceTimeout().toSeconds()
                    + " s after the start call (status " + v.status() + ")");
            return true;
        }
        return false;
    }
}
