package io.lifeboat.mapping.ingest;

import io.lifeboat.common.event.EventType;
import io.lifeboat.common.failure.HostFailureChanged;
import io.lifeboat.common.topic.Topic;
import io.lifeboat.mapping.plan.PlanTriggers;
import io.lifeboat.service.pipeline.EventHandler;
import io.lifeboat.service.pipeline.Inbound;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;

/** The evacuation-service's failure lifecycle: a confirmed failure triggers the host's unmap plan. */
@ApplicationScoped
public class HostFailures implements EventHandler<Object> {

    @Inject
    PlanTriggers triggers;

    @Override
    public String channel() {
        return "host-failures";
    }

    @Override
    public Topic topic() {
        return Topic.HOST_FAILURES;
    }

    @Override
    public EventType<Object> type() {
        return null;
    }

    @Override
    public void apply(List<Inbound<Object>> batch) {
        for (Inbound<Object> in : batch) {
            if (in.data() instanceof HostFailureChanged f) {
                triggers.failureChanged(f);
            }
        }
    }
}
