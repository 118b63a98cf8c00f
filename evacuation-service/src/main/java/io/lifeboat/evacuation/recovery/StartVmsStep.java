package io.lifeboat.evacuation.recovery;

import io.lifeboat.common.recovery.RecoveryStep;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** oVirt: start the run's VMs on other hosts. */
@ApplicationScoped
class StartVmsStep implements Step {

    @Inject
    MoveLoop loop;

    @Inject
    OvirtStartMover mover;

    @Override
    public RecoveryStep name() {
        return RecoveryStep.START_VMS;
    }

    @Override
    public boolean run(RecoveryRun run, Attempt attempt) {
        return loop.run(run, attempt, mover);
    }
}
