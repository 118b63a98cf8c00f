package io.lifeboat.common.change;

/** How an inventory cycle ended. A partial or failed cycle never publishes "everything disappeared". */
public enum CycleOutcome {
    COMPLETE,
    PARTIAL,
    FAILED
}
