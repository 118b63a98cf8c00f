package io.lifeboat.common.inventory;

/** oVirt {@code placement_policy.affinity}. */
public enum PlacementAffinity {
    MIGRATABLE,
    USER_MIGRATABLE,
    PINNED
}
