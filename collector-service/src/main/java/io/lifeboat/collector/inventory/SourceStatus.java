package io.lifeboat.collector.inventory;

import io.lifeboat.common.change.CycleOutcome;

import io.lifeboat.collector.source.SkippedItem;

import java.time.Instant;
import java.util.List;

/**
 * What the sources endpoint shows for a source. Never contains credentials.
 *
 * @param health      UP (last cycle complete, signals fine), DEGRADED (partial cycle or failing signals), DOWN (last
 *                    cycle failed), UNKNOWN (no cycle yet), DISABLED, MISCONFIGURED
 * @param url         the source's URL without any user info
 */
public record SourceStatus(String id, String kind, String url, String health, String detail, LastCycle lastCycle,
                           Instant lastSignalPollAt, String lastSignalError, List<SkippedItem> lastSignalSkipped,
                           long apiCallsTotal, boolean cycleRunning) {

    /**
     * The last inventory cycle. {@code skipped} items could not be read this cycle (their last known state stands);
     * {@code skippedItems} lists the first 20 with their ids and reasons.
     */
    public record LastCycle(Instant startedAt, Instant finishedAt, long durationMs, CycleOutcome outcome,
                            long apiCalls, int hosts, int vms, int storageDomains, int statesPublished,
                            int changes, List<String> errors, int skipped, List<SkippedItem> skippedItems) {
    }
}
