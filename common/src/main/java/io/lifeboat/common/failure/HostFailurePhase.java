package io.lifeboat.common.failure;

/**
 * The lifecycle of one host-failure episode (DESIGN.md, "Rules that keep it safe"). Recovery starts only from
 * FENCED: a host is confirmed down for the grace period and its power-off is confirmed (or an operator said so).
 */
public enum HostFailurePhase {
    /** The platform reports the host down or non-responsive. */
    SUSPECTED,
    /** Still down after the grace period. */
    CONFIRMED,
    /** Confirmed down but no fencer: waiting for an operator's approval or fence confirmation. */
    AWAITING_APPROVAL,
    /** Power-off confirmed by a fencer (oVirt fence, Redfish) or by an operator. */
    FENCED,
    RECOVERING,
    RECOVERED,
    PARTIALLY_RECOVERED,
    /** Ended without recovery: the host came back before fencing, or an operator cancelled. */
    ABANDONED;

    public boolean isTerminal() {
        return this == RECOVERED || this == PARTIALLY_RECOVERED || this == ABANDONED;
    }
}
