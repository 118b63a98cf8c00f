package io.lifeboat.mapping.inventory;

import io.lifeboat.common.envelope.CloudEventsKafka;
import io.lifeboat.common.envelope.EventDecodingException;
import io.lifeboat.common.event.EventTypes;
import io.lifeboat.common.id.HostKey;
import io.lifeboat.mapping.lineage.HostHistory;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The compacted hosts topic → host history. A record that is not a valid host-state event fails here and goes to
 * {@code lifeboat.inventory.hosts.v1.dlq} with the reason (SmallRye's dead-letter-queue strategy); the consumer goes
 * on. A failure to store (the database briefly away) is retried with backoff before it, too, is dead-lettered.
 */
@ApplicationScoped
public class InventoryHostsConsumer {

    @Inject
    HostHistory history;

    @Incoming("inventory-hosts")
    @Blocking
    @Retry(maxRetries = 5, delay = 200, jitter = 100, maxDuration = 30, durationUnit = ChronoUnit.SECONDS,
            abortOn = {EventDecodingException.class, IllegalArgumentException.class})
    public void consume(ConsumerRecord<String, byte[]> record) {
        if (CloudEventsKafka.isTombstone(record.value())) {
            history.hostRemoved(HostKey.parse(record.key()), Instant.ofEpochMilli(record.timestamp()));
            return;
        }
        history.apply(CloudEventsKafka.decode(record.headers(), record.value(), EventTypes.HOST_STATE));
    }
}
