package io.lifeboat.evacuation.recovery;

import io.lifeboat.evacuation.config.EvacuationConfig;

import java.util.Set;

/**
 * One kind of move (Nova evacuate, oVirt start, oVirt migrate) as two short tasks, each run on its own: {@code begin}
 * makes the move's cloud call once, with the move marked ONGOING before it; {@code check} looks once at where the
 * instance is. State changes go through {@link MoveTransitions}; the step that runs the moves decides when to call.
 */
interface Mover {

    /** Starts a PENDING move; true when it is now ONGOING (its call made, or unanswered and to be checked). */
    boolean begin(Context c, long moveId);

    /** Checks an ONGOING move once; true when it is settled (succeeded, failed, or back to PENDING). */
    boolean check(Context c, long moveId);

    /**
     * One step's moves: its run and source, the reserved hosts already enabled, and the moves whose call was accepted
     * during this step (a check then knows the call reached the cloud).
     */
    record Context(RecoveryRun run, EvacuationConfig.Source src, Set<String> enabledReserved, Set<Long> accepted) {
    }
}
