package io.lifeboat.mapping.plan;

import io.lifeboat.common.change.HostStatusChanged;
import io.lifeboat.common.failure.HostFailureChanged;
import io.lifeboat.common.failure.HostFailurePhase;
import io.lifeboat.mapping.config.MappingConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/**
 * When a plan is built and published without anyone asking: a host turning DOWN or NON_RESPONSIVE (as of that moment;
 * {@code lifeboat.mapping.plan-on-host-status-change}) and a failure the evacuation-service confirmed (as of its first
 * signal). Each trigger yields one plan, however often its event is delivered.
 */
@ApplicationScoped
public class PlanTriggers {

    @Inject
    UnmapPlanner planner;

    @Inject
    MappingConfig config;

    @Transactional(Transactional.TxType.MANDATORY)
    public void hostStatusChanged(HostStatusChanged h, String eventId) {
        if (config.planOnHostStatusChange() && h.previous() != null && h.current().isFailureSignal()
                && !h.previous().isFailureSignal()) {
            planner.publishFor(h.host(), h.observedAt(), "host-status:" + eventId);
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void failureChanged(HostFailureChanged f) {
        if (f.phase() == HostFailurePhase.CONFIRMED) {
            planner.publishFor(f.host(), f.firstSignalAt(), "host-failure:" + f.episodeId());
        }
    }
}
