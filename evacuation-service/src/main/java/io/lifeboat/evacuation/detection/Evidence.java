package io.lifeboat.evacuation.detection;

import java.time.Instant;

/**
 * One source's current reading of a host.
 *
 * @param since when this reading began (the first probe that gave it)
 * @param at    the latest probe that gave it
 */
public record Evidence(Kind kind, Reading reading, String detail, Instant since, Instant at) {

    /** Where a reading comes from; each is independent of the others. */
    public enum Kind {
        /** The platform's own view of the host (the collector's host state: Nova's service state, oVirt's status). */
        PLATFORM,
        /** OpenStack: the age of the nova-compute heartbeat ({@code updated_at}) against the region's newest one. */
        HEARTBEAT,
        /** The BMC's {@code PowerState}. */
        BMC,
        /** A TCP connect to the host's management address. */
        NETWORK
    }

    public enum Reading {
        /** This source says the host is down (off, unreachable, silent). */
        DOWN,
        UP,
        /** This source could not tell (the BMC or the API did not answer, no address): never counts either way. */
        UNKNOWN
    }

    /** The same reading, probed again now; a changed reading starts anew. */
    Evidence next(Reading reading, String detail, Instant now) {
        return reading == this.reading ? new Evidence(kind, reading, detail, since, now)
                : new Evidence(kind, reading, detail, now, now);
    }
}
