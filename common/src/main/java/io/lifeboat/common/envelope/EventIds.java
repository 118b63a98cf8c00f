package io.lifeboat.common.envelope;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Event ids: UUID version 7 (RFC 9562), whose first 48 bits are the creation time in Unix milliseconds. Every consumer
 * stores the id of each event it applied (its inbox, a B-tree on the id): with random (v4) ids each insert lands on a
 * random leaf of an index far larger than the buffer cache; time-ordered ids land on its right edge. The remaining 74
 * bits are random, so ids stay unique across producers without coordination.
 */
public final class EventIds {

    private EventIds() {
    }

    /** A new time-ordered id. */
    public static String next() {
        return next(System.currentTimeMillis()).toString();
    }

    static UUID next(long unixMillis) {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        long high = (unixMillis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | (rnd.nextLong() & 0x0FFFL);
        long low = (rnd.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(high, low);
    }
}
