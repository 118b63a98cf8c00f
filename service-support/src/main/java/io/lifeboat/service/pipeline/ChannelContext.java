package io.lifeboat.service.pipeline;

import io.lifeboat.service.events.EventPublisher;
import io.lifeboat.service.events.Inbox;
import io.lifeboat.service.health.InfrastructureProbe;
import io.lifeboat.service.kafka.KafkaSettings;

/** What every consumer of a service shares. */
record ChannelContext(String service, String groupId, PipelineConfig config, KafkaSettings kafka, Inbox inbox,
                      EventPublisher publisher, InfrastructureProbe probe, PipelineMetrics metrics) {
}
