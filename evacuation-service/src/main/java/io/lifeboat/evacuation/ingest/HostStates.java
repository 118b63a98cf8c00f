package io.lifeboat.evacuation.ingest;

import io.lifeboat.common.event.EventType;
import io.lifeboat.common.event.EventTypes;
import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.inventory.HostState;
import io.lifeboat.common.topic.Topic;
import io.lifeboat.evacuation.inventory.InventoryViews;
import io.lifeboat.service.pipeline.EventHandler;
import io.lifeboat.service.pipeline.Inbound;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;

/**
 * Host states: the failure signals. Each goes to the host view and the failure lifecycle in the batch's transaction,
 * so a redelivered state neither opens a second episode nor misses one. A host removed from the inventory (a
 * tombstone) leaves its open episode, if any, to an operator.
 */
@ApplicationScoped
public class HostStates implements EventHandler<HostState> {

    @Inject
    InventoryViews views;

    @Override
    public String channel() {
        return "inventory-hosts";
    }

    @Override
    public Topic topic() {
        return Topic.INVENTORY_HOSTS;
    }

    @Override
    public EventType<HostState> type() {
        return EventTypes.HOST_STATE;
    }

    @Override
    public void validate(Inbound<HostState> in) {
        if (in.tombstone()) {
            HostKey.parse(in.key());
        }
    }

    @Override
    public void apply(List<Inbound<HostState>> batch) {
        for (Inbound<HostState> in : batch) {
            if (!in.tombstone()) {
                views.applyHost(in.data());
            }
        }
    }
}
