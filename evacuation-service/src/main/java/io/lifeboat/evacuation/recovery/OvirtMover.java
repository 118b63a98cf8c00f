package io.lifeboat.evacuation.recovery;

import io.lifeboat.common.recovery.MoveState;
import io.lifeboat.evacuation.platform.Platforms;
import io.lifeboat.evacuation.platform.ovirt.OvirtApi;
import jakarta.inject.Inject;

import java.util.Optional;

/** What the oVirt movers share: the engine's view of a move's VM, and host names for the audit trail. */
abstract class OvirtMover implements Mover {

    @Inject
    Platforms platforms;

    @Inject
    MoveTransitions moves;

    /**
     * The move's VM as the engine shows it now. A VM the engine no longer has ends the move as {@code gone}: SKIPPED
     * before its call (nothing to recover), FAILED after it (it vanished while being recovered).
     */
    Optional<OvirtApi.Vm> engineVm(OvirtApi api, RecoveryRun run, InstanceMove m, MoveState gone) {
        Optional<OvirtApi.Vm> vm = api.vm(m.vmId);
        if (vm.isEmpty()) {
            moves.end(run, m.id, gone, null, "the engine no longer has this VM");
        }
        return vm;
    }

    static String hostName(OvirtApi api, String hostId) {
        return api.host(hostId).map(OvirtApi.Host::name).orElse(hostId);
    }
}
