package io.lifeboat.watchdog.ingest;

import io.lifeboat.common.envelope.CloudEventsKafka;
import io.lifeboat.common.envelope.EventDecodingException;
import io.lifeboat.common.envelope.EventEnvelope;
import io.lifeboat.common.event.EventTypes;
import io.lifeboat.common.libvirt.LibvirtRawEvent;
import io.lifeboat.service.events.Inbox;
import io.lifeboat.watchdog.incident.IncidentCorrelator;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.time.temporal.ChronoUnit;

/**
 * {@code lifeboat.libvirt.raw.v1} → incidents. Every ingestion form ends here: hypervisor agents publish to the
 * topic, and the HTTP batches and libvirt connections of this service publish to it too, so one path correlates them
 * all, in each hypervisor's order. A record that is not a valid raw event goes to the DLQ with its reason.
 */
@ApplicationScoped
public class RawEventConsumer {

    @Inject
    Inbox inbox;

    @Inject
    IncidentCorrelator correlator;

    @Incoming("libvirt-raw")
    @Blocking
    @Retry(maxRetries = 5, delay = 200, jitter = 100, maxDuration = 30, durationUnit = ChronoUnit.SECONDS,
            abortOn = {EventDecodingException.class, IllegalArgumentException.class})
    public void raw(ConsumerRecord<String, byte[]> record) {
        apply(CloudEventsKafka.decode(record.headers(), record.value(), EventTypes.LIBVIRT_RAW_EVENT));
    }

    @Transactional
    void apply(EventEnvelope<LibvirtRawEvent> e) {
        if (inbox.firstDelivery(e.id(), e.type().type())) {
            correlator.apply(e.id(), e.data());
        }
    }
}
