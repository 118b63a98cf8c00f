package io.lifeboat.mapping.ingest;

import io.lifeboat.common.change.HostStatusChanged;
import io.lifeboat.mapping.plan.PlanTriggers;
import io.lifeboat.service.pipeline.ChangeEventHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The change topic: a host status change may trigger an unmap plan. VM removals are taken from the VM topic's
 * tombstones instead (ordered with the VM's states).
 */
@ApplicationScoped
public class ChangeEvents extends ChangeEventHandler {

    @Inject
    PlanTriggers triggers;

    @Override
    protected void onEvent(Object data, String eventId) {
        if (data instanceof HostStatusChanged h) {
            triggers.hostStatusChanged(h, eventId);
        }
    }
}
