package io.lifeboat.common.inventory;

/**
 * A VM's status, normalised across platforms; the platform's own value travels beside it ({@code platformStatus}:
 * oVirt {@code VmStatus} in lower case, or the Nova server {@code status}).
 */
public enum VmStatus {
    /** oVirt up / reboot_in_progress; Nova ACTIVE, REBOOT, RESCUE, VERIFY_RESIZE. */
    RUNNING,
    /** oVirt paused (see statusDetail, e.g. {@code eio}); Nova PAUSED. */
    PAUSED,
    /** oVirt suspended; Nova SUSPENDED. */
    SUSPENDED,
    /** oVirt down / image_locked; Nova SHUTOFF, DELETED, or ACTIVE with power state shutdown or crashed. */
    DOWN,
    /** oVirt powering_up / wait_for_launch / restoring_state; Nova BUILD. */
    STARTING,
    /** oVirt powering_down / saving_state (a Nova guest being powered off stays as its vm_state says). */
    STOPPING,
    /** oVirt migrating; Nova MIGRATING, RESIZE, REVERT_RESIZE (the guest moves between hosts). */
    MIGRATING,
    /** Nova REBUILD (also an evacuation in progress). */
    REBUILDING,
    /** oVirt not_responding. */
    NOT_RESPONDING,
    /** Nova ERROR. */
    ERROR,
    /** Nova SOFT_DELETED (deferred delete; restorable until reclaimed). */
    SOFT_DELETED,
    /** Nova SHELVED / SHELVED_OFFLOADED (offloaded: no host). */
    SHELVED,
    /**
     * oVirt unknown / unassigned (e.g. its host is non-responsive and not yet fenced); Nova UNKNOWN; and any value not
     * known to this version.
     */
    UNKNOWN
}
