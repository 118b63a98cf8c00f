package io.lifeboat.mapping.ingest;

import io.lifeboat.common.change.HostStatusChanged;
import io.lifeboat.common.event.EventType;
import io.lifeboat.common.topic.Topic;
import io.lifeboat.mapping.plan.PlanTriggers;
import io.lifeboat.service.pipeline.EventHandler;
import io.lifeboat.service.pipeline.Inbound;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;

/**
 * The change topic: a host status change may trigger an unmap plan. VM removals are taken from the VM topic's
 * tombstones instead (ordered with the VM's states).
 */
@ApplicationScoped
public class ChangeEvents implements EventHandler<Object> {

    @Inject
    PlanTriggers triggers;

    @Override
    public String channel() {
        return "infra-events";
    }

    @Override
    public Topic topic() {
        return Topic.INFRA_EVENTS;
    }

    @Override
    public EventType<Object> type() {
        return null;
    }

    @Override
    public void apply(List<Inbound<Object>> batch) {
        for (Inbound<Object> in : batch) {
            if (in.data() instanceof HostStatusChanged h) {
                triggers.hostStatusChanged(h, in.eventId());
            }
        }
    }
}
