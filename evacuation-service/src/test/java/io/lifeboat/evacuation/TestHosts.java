package io.lifeboat.evacuation;

import io.lifeboat.common.envelope.EventEnvelope;
import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.id.SourceId;
import io.lifeboat.common.id.SourceKind;
import io.lifeboat.common.inventory.ClusterRef;
import io.lifeboat.common.inventory.HostState;
import io.lifeboat.common.inventory.HostStatus;
import io.lifeboat.testsupport.KafkaTestClient;

import java.net.URI;
import java.time.Instant;

/** Host states of a test source (OpenStack, zone az1) as the collector would publish them. */
final class TestHosts {

    private static final URI SOURCE = URI.create("/lifeboat/test");

    private TestHosts() {
    }

    static HostState state(SourceId src, String id, HostStatus status, Instant at) {
        return new HostState(HostKey.of(src, id), SourceKind.OPENSTACK, id, new ClusterRef("az1", "az1"), status,
                status == HostStatus.UP ? "up" : "down", null, null, id, null, null, at);
    }

    static void publish(KafkaTestClient kafka, SourceId src, String id, HostStatus status, Instant at) {
        kafka.publish(EventEnvelope.create(SOURCE, state(src, id, status, at)));
    }
}
