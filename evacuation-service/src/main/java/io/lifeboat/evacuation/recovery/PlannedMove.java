package io.lifeboat.evacuation.recovery;

import io.lifeboat.common.recovery.MoveState;

import java.time.Instant;

/**
 * A move as planned: what a run will do to one instance, or why it leaves it alone. Dry runs return these without
 * storing them.
 */
public record PlannedMove(String vmKey, String vmId, String vmName, String action, MoveState state, int priority,
                          String originalState, boolean resetFirst, boolean stopAfter, boolean startAfter,
                          String requestedTarget, Instant notBefore, String reason) {

    public static PlannedMove skip(String vmKey, String vmId, String vmName, String originalState, int priority,
                                   String reason) {
        return new PlannedMove(vmKey, vmId, vmName, InstanceMove.NONE, MoveState.SKIPPED, priority, originalState,
                false, false, false, null, null, reason);
    }
}
