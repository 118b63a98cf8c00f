package io.lifeboat.common.change;

/** How a transition was observed: the full inventory cycle, or a fast signal between cycles. */
public enum SignalSource {
    /** Comparing a full inventory cycle with the last known state. */
    INVENTORY_CYCLE,
    /** The oVirt engine's events feed ({@code /events?from=}), e.g. code 9027 host not responding. */
    ENGINE_EVENT,
    /** Polling Nova {@code os-services}: a nova-compute service went down (no notification exists for that). */
    SERVICE_POLL,
    /** Polling Nova {@code servers/detail?changes-since=}: servers saved since the last poll. */
    CHANGES_POLL
}
