package io.lifeboat.common.recovery;

/** The named steps of a recovery run, in order (STYLE.md: a run reads as Masakari's flows do). */
public enum RecoveryStep {
    FENCE_HOST,
    FORCE_SERVICE_DOWN,
    PREPARE_INSTANCE_LIST,
    EVACUATE_INSTANCES,
    START_VMS,
    MIGRATE_PAUSED_VMS,
    VERIFY
}
