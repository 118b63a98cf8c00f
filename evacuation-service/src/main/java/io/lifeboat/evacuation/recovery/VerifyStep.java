package io.lifeboat.evacuation.recovery;

import io.lifeboat.common.recovery.RecoveryStep;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The last step: every move of the run is settled (succeeded, failed or skipped, each with its reason). */
@ApplicationScoped
class VerifyStep implements Step {

    @Inject
    MoveTransitions moves;

    @Override
    public RecoveryStep name() {
        return RecoveryStep.VERIFY;
    }

    @Override
    public boolean run(RecoveryRun run, Attempt attempt) {
        // A STORAGE run can gain a move after its moves step ended (a VM that paused late): the flow table sends it
        // back to that step. Any other run has settled all its moves before this step.
        if (run.kind != RecoveryRun.Kind.STORAGE && !moves.openMoves(run.id).isEmpty()) {
            throw new IllegalStateException("moves still open after the moves step");
        }
        return true;
    }
}
