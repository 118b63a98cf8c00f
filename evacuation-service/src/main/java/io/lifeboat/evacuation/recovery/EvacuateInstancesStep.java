package io.lifeboat.evacuation.recovery;

import io.lifeboat.common.recovery.RecoveryStep;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Nova: evacuate the run's instances. */
@ApplicationScoped
class EvacuateInstancesStep implements Step {

    @Inject
    MoveLoop loop;

    @Inject
    NovaEvacuateMover mover;

    @Override
    public RecoveryStep name() {
        return RecoveryStep.EVACUATE_INSTANCES;
    }

    @Override
    public boolean run(RecoveryRun run, Attempt attempt) {
        return loop.run(run, attempt, mover);
    }
}
