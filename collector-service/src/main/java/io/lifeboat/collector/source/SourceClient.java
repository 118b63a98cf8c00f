package io.lifeboat.collector.source;

import io.lifeboat.common.inventory.HostState;
import io.lifeboat.common.inventory.VmState;

import java.util.Map;

/**
 * One cloud source, reached through its real SDK. Implementations keep per-source caches (clusters, images,
 * volumes) between calls; they are used by one thread at a time.
 */
public interface SourceClient extends AutoCloseable {

    /** A full inventory cycle. Never throws for a cloud error: failures mark parts of the snapshot incomplete. */
    SourceSnapshot readInventory();

    /**
     * The fast signals since {@code cursor} (null when there is none: start from "now", read no history).
     *
     * @param knownHosts the last published host states, to fill what a signal does not carry
     * @param knownVms   the last published VM states, likewise
     */
    SignalBatch readSignals(String cursor, Map<String, HostState> knownHosts, Map<String, VmState> knownVms);

    /**
     * Where the fast signals start when nothing was read before: "now" (the newest oVirt event, the current time for
     * Nova). Taken before the first inventory is read, so that a change during that read is still signalled.
     */
    String startCursor();

    /** API calls made so far (monotonic). */
    long apiCalls();

    @Override
    void close();
}
