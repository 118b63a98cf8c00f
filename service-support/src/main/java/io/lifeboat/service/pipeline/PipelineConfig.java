package io.lifeboat.service.pipeline;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The event pipeline of a service: how its channels consume, retry and stop. */
@ConfigMapping(prefix = "lifeboat.pipeline")
public interface PipelineConfig {

    /**
     * The consumer group of this service's channels (one group per service; each channel subscribes in it). Default
     * {@code lifeboat-<service>}, e.g. {@code lifeboat-mapping} for the mapping-service.
     */
    Optional<String> groupId();

    /** Records per poll, and so per batch and per transaction, unless a channel sets its own. */
    @WithDefault("1000")
    int maxPollRecords();

    /** First wait before retrying a batch the infrastructure refused; doubles up to {@link #maxBackoff}. */
    @WithDefault("200ms")
    Duration initialBackoff();

    /** Longest wait between retries of a stalled batch (a jitter of ±20 % is added). */
    @WithDefault("10s")
    Duration maxBackoff();

    /** How many times a record that fails alone (not for infrastructure reasons) is tried before it is dead-lettered. */
    @WithDefault("3")
    int poisonAttempts();

    /**
     * Records in a row of one batch that fail alone for the same non-infrastructure reason before the pipeline
     * stops believing they are all bad: it then stalls (readiness DOWN) instead of dead-lettering them.
     */
    @WithDefault("20")
    int systematicFailureThreshold();

    /** Transaction timeout of one batch. */
    @WithDefault("120s")
    Duration batchTimeout();

    /** On shutdown, how long the batch in hand may take to finish before it is abandoned (uncommitted). */
    @WithDefault("10s")
    Duration shutdownTimeout();

    /** Per channel settings. */
    Map<String, Channel> channels();

    interface Channel {

        /** Consumer threads (each a member of the group); more than the topic's partitions is useless. */
        @WithDefault("1")
        int concurrency();

        Optional<Integer> maxPollRecords();

        @WithDefault("true")
        boolean enabled();
    }
}
