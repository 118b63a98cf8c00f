package io.lifeboat.service.pipeline;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.TimeUnit;

/**
 * The pipeline's metrics (Prometheus names): {@code lifeboat_pipeline_records_total{channel,outcome}} (applied,
 * duplicate, poison), {@code lifeboat_dlq_records_total{topic,reason}}, {@code lifeboat_pipeline_retries_total
 * {channel,cause}} (infrastructure: the batch waits; isolation: a chunk is split to find the record at fault),
 * {@code lifeboat_pipeline_batch_seconds{channel}}, {@code lifeboat_pipeline_commit_failures_total{channel}}; the
 * gauges {@code lifeboat_pipeline_stalled}, {@code lifeboat_pipeline_stall_seconds} and {@code lifeboat_pipeline_lag}
 * per channel are registered by {@link Pipelines}.
 */
final class PipelineMetrics {

    private final MeterRegistry registry;

    PipelineMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Why a record is dead-lettered (the {@code dead-letter-reason-code} header). */
    static final java.util.List<String> DEAD_LETTER_REASONS = java.util.List.of("decode", "contract", "data",
            "processing");

    /**
     * Every series of a channel at zero from its start: an alert on {@code increase(...) > 0} then sees the first
     * dead letter or retry (a series born at 1 has no increase), and a dashboard shows 0 rather than nothing.
     */
    void register(String channel, String topic) {
        Timer.builder("lifeboat.pipeline.batch").description("Time to apply and commit one batch")
                .tag("channel", channel).register(registry);
        for (String outcome : java.util.List.of("applied", "duplicate", "poison")) {
            records(channel, outcome);
        }
        for (String reason : DEAD_LETTER_REASONS) {
            Counter.builder("lifeboat.dlq.records").description("Records written to a dead-letter topic")
                    .tag("topic", topic).tag("reason", reason).register(registry);
        }
        for (String cause : java.util.List.of("infrastructure", "isolation")) {
            Counter.builder("lifeboat.pipeline.retries").description("Batches retried or split")
                    .tag("channel", channel).tag("cause", cause).register(registry);
        }
        Counter.builder("lifeboat.pipeline.commit.failures")
                .description("Offset commits that failed (the records come again and are deduplicated)")
                .tag("channel", channel).register(registry);
    }

    void batch(String channel, long nanos, int applied, int duplicates) {
        Timer.builder("lifeboat.pipeline.batch").description("Time to apply and commit one batch")
                .tag("channel", channel).register(registry).record(nanos, TimeUnit.NANOSECONDS);
        records(channel, "applied").increment(applied);
        records(channel, "duplicate").increment(duplicates);
    }

    void deadLettered(String channel, String topic, String reason) {
        records(channel, "poison").increment();
        Counter.builder("lifeboat.dlq.records").description("Records written to a dead-letter topic")
                .tag("topic", topic).tag("reason", reason).register(registry).increment();
    }

    void retry(String channel, String cause) {
        Counter.builder("lifeboat.pipeline.retries").description("Batches retried or split")
                .tag("channel", channel).tag("cause", cause).register(registry).increment();
    }

    void commitFailed(String channel) {
        Counter.builder("lifeboat.pipeline.commit.failures")
                .description("Offset commits that failed (the records come again and are deduplicated)")
                .tag("channel", channel).register(registry).increment();
    }

    private Counter records(String channel, String outcome) {
        return Counter.builder("lifeboat.pipeline.records").description("Records consumed, by outcome")
                .tag("channel", channel).tag("outcome", outcome).register(registry);
    }
}
