package io.lifeboat.common.recovery;

/** A recovery run's state; the named steps of a run are in {@link RecoveryStep}. */
public enum RecoveryRunState {
    PLANNED,
    AWAITING_APPROVAL,
    RUNNING,
    SUCCEEDED,
    PARTIALLY_SUCCEEDED,
    FAILED,
    CANCELLED
}
