package io.lifeboat.mapping.ingest;

import io.lifeboat.common.event.EventType;
import io.lifeboat.common.event.EventTypes;
import io.lifeboat.common.id.VmKey;
import io.lifeboat.common.inventory.VmState;
import io.lifeboat.common.topic.Topic;
import io.lifeboat.mapping.lineage.VmHistory;
import io.lifeboat.service.pipeline.EventHandler;
import io.lifeboat.service.pipeline.Inbound;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;

/**
 * The compacted VM topic → VM history. A tombstone closes the VM's history: it is on the VM's own key, so it is
 * ordered with its states (a VmRemoved on the change topic is not, and could close the interval of a VM that came
 * back). Its timestamp is stored with the record, so a replay closes at the same instant.
 */
@ApplicationScoped
public class VmStates implements EventHandler<VmState> {

    @Inject
    VmHistory history;

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
        List<VmHistory.Change> changes = new ArrayList<>(batch.size());
        for (Inbound<VmState> in : batch) {
            changes.add(in.tombstone() ? new VmHistory.Removed(VmKey.parse(in.key()), in.timestamp())
                    : new VmHistory.Observed(in.data(), in.eventId()));
        }
        history.apply(changes);
    }
}
