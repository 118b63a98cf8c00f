package io.lifeboat.watchdog.ingest;

import io.lifeboat.common.event.EventType;
import io.lifeboat.common.event.EventTypes;
import io.lifeboat.common.libvirt.LibvirtRawEvent;
import io.lifeboat.common.topic.Topic;
import io.lifeboat.service.pipeline.EventHandler;
import io.lifeboat.service.pipeline.Inbound;
import io.lifeboat.service.pipeline.PoisonRecordException;
import io.lifeboat.watchdog.incident.IncidentCorrelator;
import io.lifeboat.watchdog.incident.IncidentEvents;
import io.lifeboat.watchdog.incident.RawEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;

/**
 * {@code lifeboat.libvirt.raw.v1} → incidents. Every ingestion form ends here: hypervisor agents publish to the
 * topic, and the HTTP batches and libvirt connections of this service publish to it too, so one path correlates them
 * all, in each hypervisor's order (the topic is keyed by hypervisor).
 */
@ApplicationScoped
public class RawEvents implements EventHandler<LibvirtRawEvent> {

    @Inject
    IncidentCorrelator correlator;

    @Inject
    IncidentEvents incidents;

    @Override
    public String channel() {
        return "libvirt-raw";
    }

    @Override
    public Topic topic() {
        return Topic.LIBVIRT_RAW;
    }

    @Override
    public EventType<LibvirtRawEvent> type() {
        return EventTypes.LIBVIRT_RAW_EVENT;
    }

    /** Raw events are stored under their event id, which the correlation checks first: no inbox needed. */
    @Override
    public boolean deduplicatesItself() {
        return true;
    }

    /** What the raw_event table can hold: a longer value is a broken sender, never stored in part. */
    @Override
    public void validate(Inbound<LibvirtRawEvent> in) {
        LibvirtRawEvent e = in.data();
        RawEventLimits.check(e).ifPresent(reason -> {
            throw new PoisonRecordException(reason);
        });
    }

    @Override
    public void apply(List<Inbound<LibvirtRawEvent>> batch) {
        incidents.changed(correlator.apply(batch.stream()
                .map(in -> new RawEvent(in.eventId(), in.data())).toList()));
    }
}
