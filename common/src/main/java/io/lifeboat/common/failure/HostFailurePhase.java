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
    /** Every instance accounted for and none failed. The episode stays open until the host is seen up again. */
    RECOVERED,
    /** Some instance failed to move. The episode stays open until the host is seen up again. */
    PARTIALLY_RECOVERED,
    /** Ended without recovery: the host came back before fencing, or an operator cancelled. */
    ABANDONED;

    /** The recovery ended (the episode may still be open: it closes when the host is up again). */
    public boolean recovered() {
        return this == RECOVERED || this == PARTIALLY_RECOVERED;
    }

    public boolean isTerminal() {
        return this == RECOVERED || this == PARTIALLY_RECOVERED || this == ABANDONED;
    }
}
