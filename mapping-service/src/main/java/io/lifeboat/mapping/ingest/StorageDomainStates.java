package io.lifeboat.mapping.ingest;

import io.lifeboat.common.event.EventType;
import io.lifeboat.common.event.EventTypes;
import io.lifeboat.common.id.StorageDomainKey;
import io.lifeboat.common.inventory.StorageDomainState;
import io.lifeboat.common.topic.Topic;
import io.lifeboat.mapping.lineage.StorageDomainHistory;
import io.lifeboat.service.pipeline.EventHandler;
import io.lifeboat.service.pipeline.Inbound;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;

/** The compacted storage-domain topic → which LUNs back block storage domains, over time. */
@ApplicationScoped
public class StorageDomainStates implements EventHandler<StorageDomainState> {

    @Inject
    StorageDomainHistory history;

    @Override
    public String channel() {
        return "inventory-storage-domains";
    }

    @Override
    public Topic topic() {
        return Topic.INVENTORY_STORAGE_DOMAINS;
    }

    @Override
    public EventType<StorageDomainState> type() {
        return EventTypes.STORAGE_DOMAIN_STATE;
    }

    @Override
    public void validate(Inbound<StorageDomainState> in) {
        if (in.tombstone()) {
            StorageDomainKey.parse(in.key());
        }
    }

    @Override
    public void apply(List<Inbound<StorageDomainState>> batch) {
        for (Inbound<StorageDomainState> in : batch) {
            if (in.tombstone()) {
                history.removed(StorageDomainKey.parse(in.key()), in.timestamp());
            } else {
                history.apply(in.data(), in.eventId());
            }
        }
    }
}
