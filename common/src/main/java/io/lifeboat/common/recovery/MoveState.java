package io.lifeboat.common.recovery;

/** One instance's move in a recovery run (Masakari's vmoves: pending/ongoing/succeeded/failed/ignored). */
public enum MoveState {
    PENDING,
    ONGOING,
    SUCCEEDED,
    FAILED,
    SKIPPED
}
