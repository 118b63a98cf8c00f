package io.lifeboat.common.inventory;

/**
 * A host's status, normalised across platforms. The platform's own value travels beside it
 * ({@code platformStatus}): oVirt {@code HostStatus} in lower case, or for Nova {@code "<state>/<status>"} of the
 * nova-compute service, e.g. {@code down/enabled}.
 */
public enum HostStatus {
    /** oVirt {@code up}; Nova service {@code state=up}. */
    UP,
    /**
     * oVirt {@code down}, or {@code kdumping} (crashed, writing its dump); Nova service {@code state=down} (missed
     * heartbeats or forced down).
     */
    DOWN,
    /** oVirt {@code non_responsive} or {@code connecting}: the engine has lost the host. */
    NON_RESPONSIVE,
    /**
     * oVirt {@code non_operational}, {@code error} or {@code install_failed}: reachable but unfit to run VMs until an
     * operator acts (often a storage problem).
     */
    NON_OPERATIONAL,
    /** oVirt {@code maintenance} / {@code preparing_for_maintenance}; Nova service disabled while up. */
    MAINTENANCE,
    /**
     * oVirt {@code installing}, {@code installing_os}, {@code initializing}, {@code reboot}, {@code pending_approval},
     * {@code unassigned}: on its way to another status by itself.
     */
    TRANSITIONING,
    /** A value not known to this version (a newer platform): neither a failure signal nor a recovery. */
    UNKNOWN;

    /** The statuses that start a host-failure suspicion. */
    public boolean isFailureSignal() {
        return this == DOWN || this == NON_RESPONSIVE;
    }
}
