package io.lifeboat.common.inventory;

/**
 * A VM's status, normalised across platforms; the platform's own value travels beside it ({@code platformStatus}:
 * oVirt {@code VmStatus} in lower case, or the Nova server {@code status}).
 */
public enum VmStatus {
    /** oVirt up; Nova ACTIVE. */
    RUNNING,
    /** oVirt paused (see statusDetail, e.g. {@code eio}); Nova PAUSED. */
    PAUSED,
    /** oVirt suspended; Nova SUSPENDED. */
    SUSPENDED,
    /** oVirt down; Nova SHUTOFF. */
    DOWN,
    /** oVirt powering_up / wait_for_launch / restoring_state; Nova BUILD. */
    STARTING,
    /** oVirt powering_down / saving_state; Nova stopping task. */
    STOPPING,
    /** oVirt migrating; Nova MIGRATING / RESIZE. */
    MIGRATING,
    /** Nova REBUILD (evacuation in progress). */
    REBUILDING,
    /** oVirt not_responding. */
    NOT_RESPONDING,
    /** Nova ERROR. */
    ERROR,
    /** Nova SOFT_DELETED (deferred delete; restorable until reclaimed). */
    SOFT_DELETED,
    /** Nova SHELVED / SHELVED_OFFLOADED. */
    SHELVED,
    /** oVirt unknown / unassigned (e.g. its host is non-responsive and not yet fenced); Nova UNKNOWN. */
    UNKNOWN
}
