package io.lifeboat.mapping.ingest;

import io.lifeboat.common.event.EventType;
import io.lifeboat.common.event.EventTypes;
import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.inventory.HostState;
import io.lifeboat.common.topic.Topic;
import io.lifeboat.mapping.lineage.HostHistory;
import io.lifeboat.service.pipeline.EventHandler;
import io.lifeboat.service.pipeline.Inbound;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;

/** The compacted hosts topic → host history; a tombstone closes the host's last interval. */
@ApplicationScoped
public class HostStates implements EventHandler<HostState> {

    @Inject
    HostHistory history;

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
            if (in.tombstone()) {
                history.hostRemoved(HostKey.parse(in.key()), in.timestamp());
            } else {
                history.apply(in.data(), in.eventId());
            }
        }
    }
}
