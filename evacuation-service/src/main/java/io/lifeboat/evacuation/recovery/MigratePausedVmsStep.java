package io.lifeboat.evacuation.recovery;

import io.lifeboat.common.recovery.RecoveryStep;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** oVirt: migrate the VMs paused on a storage error. */
@ApplicationScoped
class MigratePausedVmsStep implements Step {

    @Inject
    MoveLoop loop;

    @Inject
    OvirtMigrateMover mover;

    @Override
    public RecoveryStep name() {
        return RecoveryStep.MIGRATE_PAUSED_VMS;
    }

    @Override
    public boolean run(RecoveryRun run, Attempt attempt) {
        return loop.run(run, attempt, mover);
    }
}
