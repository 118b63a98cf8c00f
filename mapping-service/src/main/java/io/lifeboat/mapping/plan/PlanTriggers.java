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
 * {@code lifeboat.mapping.plan-on-host-status-change}), a failure the evacuation-service confirmed (as of its first
 * signal), and the end of its recovery (as of the same time, compared with the confirmation's plan). Each trigger
 * yields one plan, however often its event is delivered.
 */
@ApplicationScoped
public class PlanTriggers {

    @Inject
    UnmapPlanner planner;

    @Inject
    MappingConfig config;

    @Inject
    RecoveryPlans recoveryPlans;

    @Transactional(Transactional.TxType.MANDATORY)
    public void hostStatusChanged(HostStatusChanged h, String eventId) {
        if (config.planOnHostStatusChange() && h.previous() != null && h.current().isFailureSignal()
                && !h.previous().isFailureSignal()) {
            planner.publishFor(h.host(), h.observedAt(), "host-status:" + eventId);
        }
    }

    /**
     * A confirmed failure: the plan as of its first signal. Its recovery's end: the plan as of the same time, once the
     * history shows where the VMs went ({@link RecoveryPlans}), compared with the confirmation's plan, so the operator
     * sees which LUNs became safe to unmap.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void failureChanged(HostFailureChanged f) {
        String confirmation = "host-failure:" + f.episodeId();
        if (f.phase() == HostFailurePhase.CONFIRMED) {
            planner.publishFor(f.host(), f.firstSignalAt(), confirmation);
        } else if (f.phase().recovered()) {
            recoveryPlans.requested(f.host(), f.firstSignalAt(), f.at(), "host-recovery:" + f.episodeId(),
                    confirmation);
        }
    }
}
