package io.lifeboat.mapping.lineage;

import java.time.Instant;

/**
 * A place in a newest-first listing of intervals: the last one read, by its start and its id. Intervals of one host
 * or VM can start at the same instant (a change observed at the very time the previous state was), so the id breaks
 * the tie, descending too.
 */
public record IntervalKey(Instant validFrom, long id) {
}
