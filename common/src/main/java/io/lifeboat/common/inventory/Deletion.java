package io.lifeboat.common.inventory;

import io.lifeboat.common.Nullable;
import io.lifeboat.common.Require;

import java.time.Instant;

/**
 * Deletion state of a VM.
 *
 * @param deletedAt   when it was (soft-)deleted
 * @param reclaimAt   for a soft-deleted server: deletedAt + the region's reclaim interval, after which Nova deletes it
 *                    for good; null when the interval is unknown
 */
public record Deletion(DeletionState state, @Nullable Instant deletedAt, @Nullable Instant reclaimAt) {
    public static final Deletion NONE = new Deletion(DeletionState.NONE, null, null);

    public Deletion {
        Require.field(state, "state");
    }

    /** Soft-deleted and, as far as we know, still restorable at the given time. */
    public boolean restorableAt(Instant t) {
        return state == DeletionState.SOFT_DELETED && (reclaimAt == null || t.isBefore(reclaimAt));
    }
}
