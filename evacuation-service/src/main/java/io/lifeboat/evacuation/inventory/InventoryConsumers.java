package io.lifeboat.evacuation.inventory;

import io.lifeboat.common.envelope.CloudEventsKafka;
import io.lifeboat.common.envelope.EventDecodingException;
import io.lifeboat.common.event.EventTypes;
import io.lifeboat.common.id.VmKey;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.time.temporal.ChronoUnit;

/**
 * The host and VM topics → the views, and host states → the failure lifecycle. A record that is not a valid event goes
 * to its topic's DLQ with the reason; database failures are retried with backoff first.
 */
@ApplicationScoped
public class InventoryConsumers {

    @Inject
    InventoryViews views;

    @Incoming("inventory-hosts")
    @Blocking
    @Retry(maxRetries = 5, delay = 200, jitter = 100, maxDuration = 30, durationUnit = ChronoUnit.SECONDS,
            abortOn = {EventDecodingException.class, IllegalArgumentException.class})
    public void host(ConsumerRecord<String, byte[]> record) {
        if (CloudEventsKafka.isTombstone(record.value())) {
            return;   // a host removed from the inventory: its open episode, if any, stays for an operator
        }
        views.applyHost(CloudEventsKafka.decode(record.headers(), record.value(), EventTypes.HOST_STATE));
    }

    @Incoming("inventory-vms")
    @Blocking
    @Retry(maxRetries = 5, delay = 200, jitter = 100, maxDuration = 30, durationUnit = ChronoUnit.SECONDS,
            abortOn = {EventDecodingException.class, IllegalArgumentException.class})
    public void vm(ConsumerRecord<String, byte[]> record) {
        if (CloudEventsKafka.isTombstone(record.value())) {
            views.removed(VmKey.parse(record.key()));
            return;
        }
        views.applyVm(CloudEventsKafka.decode(record.headers(), record.value(), EventTypes.VM_STATE));
    }
}
