package io.lifeboat.evacuation.ingest;

import io.lifeboat.common.event.EventType;
import io.lifeboat.common.event.EventTypes;
import io.lifeboat.common.id.VmKey;
import io.lifeboat.common.inventory.VmState;
import io.lifeboat.common.topic.Topic;
import io.lifeboat.evacuation.inventory.InventoryViews;
import io.lifeboat.evacuation.view.VmView;
import io.lifeboat.service.pipeline.EventHandler;
import io.lifeboat.service.pipeline.Inbound;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;

/** VM states: each VM's last host before a failure, and VMs paused on a storage error. */
@ApplicationScoped
public class VmStates implements EventHandler<VmState> {

    @Inject
    InventoryViews views;

    @Override
    public String channel() {
        return "inventory-vms";
    }

    @Override
    public Topic topic() {
        return Topic.INVENTORY_VMS;
    }

    @Override
    public EventType<VmState> type() {
        return EventTypes.VM_STATE;
    }

    @Override
    public void validate(Inbound<VmState> in) {
        if (in.tombstone()) {
            VmKey.parse(in.key());
        }
    }

    @Override
    public void apply(List<Inbound<VmState>> batch) {
        // One query loads the batch's views into the persistence context; each state then finds its view there.
        VmView.list("vmKey in ?1", batch.stream().map(in -> in.tombstone() ? in.key() : in.data().vm().toString())
                .distinct().toList());
        for (Inbound<VmState> in : batch) {
            if (in.tombstone()) {
                views.removed(VmKey.parse(in.key()));
            } else {
                views.applyVm(in.data());
            }
        }
    }
}
