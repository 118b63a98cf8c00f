package io.lifeboat.service.pipeline;

import java.time.Duration;
import java.time.Instant;

/** How one consumer of a channel is doing, for health and metrics: stalled since when and why, its lag. */
final class ChannelState {

    private volatile Instant stalledSince;
    private volatile String stallReason;
    private volatile Instant lastProgressAt;
    private volatile long lag;
    private volatile boolean running = true;

    void stalled(String reason) {
        if (stalledSince == null) {
            stalledSince = Instant.now();
        }
        stallReason = reason;
    }

    void progress() {
        stalledSince = null;
        stallReason = null;
        lastProgressAt = Instant.now();
    }

    /** Nothing to do: a poll that returned nothing (the broker being away is the probe's to tell). */
    void idle() {
        if (stalledSince != null && stallReason != null && stallReason.startsWith("Kafka:")) {
            progress();
        }
    }

    void lag(long lag) {
        this.lag = lag;
    }

    void stopped() {
        running = false;
    }

    boolean stalled() {
        return stalledSince != null;
    }

    Duration stalledFor() {
        Instant s = stalledSince;
        return s == null ? Duration.ZERO : Duration.between(s, Instant.now());
    }

    String stallReason() {
        return stallReason;
    }

    Instant lastProgressAt() {
        return lastProgressAt;
    }

    long lag() {
        return lag;
    }

    boolean running() {
        return running;
    }
}
