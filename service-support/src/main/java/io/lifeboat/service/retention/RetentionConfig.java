package io.lifeboat.service.retention;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Map;

/** How long per-event bookkeeping is kept. */
@ConfigMapping(prefix = "lifeboat.retention")
public interface RetentionConfig {

    /**
     * How long the inbox remembers an event id: as long as the topics keep records (30 days), so that a redelivery
     * or a replay within the topics' retention is still recognised.
     */
    @WithDefault("30d")
    Duration processedEvents();

    /** How often the purge runs. */
    @WithDefault("10m")
    Duration interval();

    /** Rows deleted per transaction: small, so that ingestion never waits long on the purge. */
    @WithDefault("5000")
    int batchSize();

    /** More tables of the service's schema to purge: {@code lifeboat.retention.tables.<table>.*}. */
    Map<String, Table> tables();

    interface Table {
        /** The time column compared with the cutoff (indexed). */
        String timeColumn();

        Duration maxAge();
    }
}
