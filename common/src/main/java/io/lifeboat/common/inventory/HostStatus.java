package io.lifeboat.common.inventory;

/**
 * A host's status, normalised across platforms. The platform's own value travels beside it
 * ({@code platformStatus}): oVirt {@code HostStatus} in lower case, or for Nova {@code "<state>/<status>"} of the
 * nova-compute service, e.g. {@code down/enabled}.
 */
public enum HostStatus {
    /** oVirt {@code up}; Nova service {@code state=up}. */
    UP,
    /** oVirt {@code down}; Nova service {@code state=down} (missed heartbeats or forced down). */
    DOWN,
    /** oVirt {@code non_responsive} or {@code connecting}: the engine has lost the host. */
    NON_RESPONSIVE,
    /** oVirt {@code non_operational} or {@code error}: reachable but unfit to run VMs (often a storage problem). */
    NON_OPERATIONAL,
    /** oVirt {@code maintenance} / {@code preparing_for_maintenance}; Nova service disabled while up. */
    MAINTENANCE,
    /** oVirt {@code installing}, {@code initializing}, {@code reboot}, {@code kdumping} and the like. */
    TRANSITIONING,
    UNKNOWN;

    /** The statuses that start a host-failure suspicion. */
    public boolean isFailureSignal() {
        return this == DOWN || this == NON_RESPONSIVE;
    }
}
