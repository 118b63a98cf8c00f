package io.lifeboat.evacuation.recovery;

import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.recovery.MoveState;
import io.lifeboat.evacuation.config.EvacuationConfig;
import io.lifeboat.evacuation.platform.ovirt.OvirtApi;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.Optional;

/** oVirt: migrate a VM paused on a storage error to a host of its cluster that sees the storage, and see it resume. */
@ApplicationScoped
class OvirtMigrateMover extends OvirtMover {

    @Inject
    PausedVmMigrations pausedVms;

    @Override
    public boolean begin(Context c, OpenMove pending) {
        return c.call(() -> begin(c, pending.id()));   // its reads of the engine too: within the concurrency
    }

    private boolean begin(Context c, long moveId) {
        RecoveryRun run = c.run();
        EvacuationConfig.Source src = c.src();
        OvirtApi api = platforms.ovirt(run.sourceId);
        String pausedOn = HostKey.parse(run.hostKey).hostId();
        InstanceMove m = moves.move(moveId);
        if (m.state != MoveState.PENDING) {
            return m.state == MoveState.ONGOING;
        }
        Optional<OvirtApi.Vm> vm = engineVm(api, run, m, MoveState.SKIPPED);
        if (vm.isEmpty()) {
            return false;
        }
        OvirtApi.Vm v = vm.get();
        if (!"paused".equals(v.status()) || !pausedOn.equals(v.hostId())) {
            moves.end(run, moveId, MoveState.SKIPPED, null, "no longer paused on this host (" + v.status() + " on "
                    + (v.hostId() == null ? "no host" : hostName(api, v.hostId())) + ")");
            return false;
        }
        String target = m.requestedTarget;
        if (target == null) {
            target = pausedVms.healthyTarget(run.sourceId, m.vmKey, run.hostKey).map(h -> h.hostId).orElse(null);
        }
        if (target == null) {
            moves.end(run, moveId, MoveState.FAILED, null, "no other up host of the cluster sees the storage");
            return false;
        }
        InstanceMove ongoing = moves.markOngoing(run, moveId, m.attempt, target);
        if (ongoing == null) {
            return false;
        }
        String to = target;
        return moves.callOnce(run, src, ongoing, "paused on a storage error; to " + hostName(api, to),
                () -> api.migrate(ongoing.vmId, to)) != MoveTransitions.Outcome.REFUSED;
    }

    @Override
    public boolean check(Context c, long moveId) {
        RecoveryRun run = c.run();
        EvacuationConfig.Source src = c.src();
        OvirtApi api = platforms.ovirt(run.sourceId);
        String pausedOn = HostKey.parse(run.hostKey).hostId();
        InstanceMove m = moves.move(moveId);
        if (m.state != MoveState.ONGOING) {
            return true;
        }
        Optional<OvirtApi.Vm> vm = engineVm(api, run, m, MoveState.FAILED);
        if (vm.isEmpty()) {
            return true;
        }
        OvirtApi.Vm v = vm.get();
        if (v.hostId() != null && !pausedOn.equals(v.hostId()) && "up".equals(v.status())) {
            moves.end(run, moveId, MoveState.SUCCEEDED, hostName(api, v.hostId()),
                    "resumed after the migration");
            return true;
        }
        if (Instant.now().isAfter(m.calledAt.plus(src.instanceTimeout()))) {
            moves.end(run, moveId, MoveState.FAILED, null, "not running on another host " + src.instanceTimeout()
                    .toSeconds() + " s after the migrate call (" + v.status() + ")");
            return true;
        }
        return false;
    }
}
