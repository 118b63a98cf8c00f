package io.lifeboat.common.plan;

/** Which VMs an unmap plan is about. */
public enum PlanBasis {
    /** The VMs that were on the host just before the plan's time (the history holds the host before it). */
    BEFORE_AS_OF,
    /**
     * Nothing was known of the host before the plan's time (it was already failed when Lifeboat first saw it): the VMs
     * as first observed on it, at that time.
     */
    FIRST_OBSERVATION
}
