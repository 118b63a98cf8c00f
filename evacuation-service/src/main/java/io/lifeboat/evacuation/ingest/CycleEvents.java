package io.lifeboat.evacuation.ingest;

import io.lifeboat.common.change.CollectionCycleFinished;
import io.lifeboat.common.event.EventType;
import io.lifeboat.common.topic.Topic;
import io.lifeboat.evacuation.inventory.InventoryViews;
import io.lifeboat.service.pipeline.EventHandler;
import io.lifeboat.service.pipeline.Inbound;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;

/**
 * The change topic, for one event: a collection cycle finished, with the number of hosts the source has. It tells the
 * failure lifecycle when its view of a source is complete, the only view a partition verdict may be made on. Every
 * other change event is the collector's business and is skipped.
 */
@ApplicationScoped
public class CycleEvents implements EventHandler<Object> {

    @Inject
    InventoryViews views;

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
            if (in.data() instanceof CollectionCycleFinished c) {
                views.applyCycle(c);
            }
        }
    }
}
