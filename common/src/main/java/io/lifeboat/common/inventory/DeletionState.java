package io.lifeboat.common.inventory;

/** Nova deferred delete: a soft-deleted server is restorable until {@code reclaim_instance_interval} has passed. */
public enum DeletionState {
    NONE,
    SOFT_DELETED,
    DELETED
}
