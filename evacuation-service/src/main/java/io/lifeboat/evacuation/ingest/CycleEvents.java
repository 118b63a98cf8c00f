package io.lifeboat.evacuation.ingest;

import io.lifeboat.common.change.CollectionCycleFinished;
import io.lifeboat.evacuation.inventory.InventoryViews;
import io.lifeboat.service.pipeline.ChangeEventHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The change topic, for one event: a collection cycle finished, with the number of hosts the source has. It tells the
 * failure lifecycle when its view of a source is complete, the only view a partition verdict may be made on. Every
 * other change event is the collector's business and is skipped.
 */
@ApplicationScoped
public class CycleEvents extends ChangeEventHandler {

    @Inject
    InventoryViews views;

    @Override
    protected void onEvent(Object data, String eventId) {
        if (data instanceof CollectionCycleFinished c) {
            views.applyCycle(c);
        }
    }
}
