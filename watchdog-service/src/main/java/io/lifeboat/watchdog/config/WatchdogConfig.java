package io.lifeboat.watchdog.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How raw libvirt events become incidents. */
@ConfigMapping(prefix = "lifeboat.watchdog")
public interface WatchdogConfig {

    /**
     * Events of one guest failure arrive as several (watchdog + lifecycle, io-error twice, panic then stop): events of
     * the same guest within this window join one incident. Short, so that a guest that crashes again after its restart
     * makes a new incident (and, repeated, a crash loop).
     */
    @WithDefault("30s")
    Duration incidentWindow();

    /** This many crashes of one guest (panic, unexpected stop, watchdog reset or poweroff) within the window ... */
    @WithDefault("3")
    int crashLoopThreshold();

    /** ... raise a CRASH_LOOP incident of their own. */
    @WithDefault("10m")
    Duration crashLoopWindow();

    /** Most lines or events accepted in one HTTP batch. */
    @WithDefault("10000")
    int maxBatch();
}
