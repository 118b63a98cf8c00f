package io.lifeboat.mapping.plan;

import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.plan.UnmapPlan;
import io.lifeboat.common.plan.UnmapPlanEntry;
import io.lifeboat.mapping.config.MappingConfig;
import io.lifeboat.service.jdbc.Instants;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The plan at a recovery's end, built once the history has caught up with the recovery: the evacuation-service says
 * the recovery ended as soon as its moves are done, but the collector observes the moved VMs only at its next poll or
 * cycle, and a plan built before that would still see them on the failed host and keep their LUNs, for good (one plan
 * per trigger). The request waits in {@code pending_recovery_plan} until every VM of the confirmation's plan has been
 * observed after the recovery ended (or left the inventory), or until {@code lifeboat.mapping.recovery-plan-max-wait};
 * the plan says which ({@code comparison.inventoryCaughtUp}).
 */
@ApplicationScoped
public class RecoveryPlans {

    private static final Logger LOG = Logger.getLogger(RecoveryPlans.class);

    @Inject
    EntityManager em;

    @Inject
    UnmapPlanner planner;

    @Inject
    MappingConfig config;

    @Inject
    MeterRegistry metrics;

    private final Clock clock = Clock.systemUTC();

    /** Records the request, in the consumer's transaction; a redelivered event records nothing more. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void requested(HostKey host, Instant asOf, Instant recoveredAt, String trigger, String compareWith) {
        em.createNativeQuery("insert into pending_recovery_plan (trigger, host_key, as_of, recovered_at, compare_with,"
                        + " created_at) values (?1, ?2, ?3, ?4, ?5, ?6) on conflict do nothing")
                .setParameter(1, trigger).setParameter(2, host.toString()).setParameter(3, Timestamp.from(asOf))
                .setParameter(4, Timestamp.from(recoveredAt)).setParameter(5, compareWith)
                .setParameter(6, Timestamp.from(clock.instant())).executeUpdate();
    }

    @Scheduled(every = "${lifeboat.mapping.recovery-plan-check:10s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void check() {
        @SuppressWarnings("unchecked")
        List<String> triggers = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "select trigger from pending_recovery_plan order by created_at").setMaxResults(100).getResultList());
        for (String trigger : triggers) {
            try {
                QuarkusTransaction.requiringNew().run(() -> tryBuild(trigger));
            } catch (RuntimeException e) {
                // The database or the outbox failed: the request stays and is tried again at the next check.
                LOG.warnf("recovery plan %s not built yet: %s", trigger, e.toString());
            }
        }
    }

    /** Builds the plan if its VMs have all been observed since the recovery ended, or it waited its longest. */
    void tryBuild(String trigger) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select host_key, as_of, recovered_at, compare_with, created_at"
                + " from pending_recovery_plan where trigger = ?1 for update skip locked").setParameter(1, trigger)
                .getResultList();
        if (rows.isEmpty()) {
            return;   // another replica has it, or built it
        }
        Object[] r = rows.get(0);
        HostKey host = HostKey.parse((String) r[0]);
        Instant asOf = Instants.of(r[1]);
        Instant recoveredAt = Instants.of(r[2]);
        String compareWith = (String) r[3];
        Instant waitingSince = Instants.of(r[4]);
        Optional<UnmapPlan> previous = planner.byTrigger(compareWith);
        Set<String> vms = previous.map(p -> p.entries().stream().map(UnmapPlanEntry::vm).map(Object::toString)
                .collect(Collectors.toSet())).orElse(Set.of());
        boolean caughtUp = notObservedSince(vms, recoveredAt) == 0;
        Instant deadline = (recoveredAt.isAfter(waitingSince) ? recoveredAt : waitingSince)
                .plus(config.recoveryPlanMaxWait());
        if (!caughtUp && clock.instant().isBefore(deadline)) {
            return;
        }
        if (!caughtUp) {
            LOG.warnf("recovery plan %s built after waiting %s: %d VMs of %s were not observed since the recovery"
                    + " ended at %s", trigger, config.recoveryPlanMaxWait(), notObservedSince(vms, recoveredAt),
                    compareWith, recoveredAt);
        }
        planner.publishFor(host, asOf, trigger, compareWith, caughtUp);
        em.createNativeQuery("delete from pending_recovery_plan where trigger = ?1").setParameter(1, trigger)
                .executeUpdate();
        metrics.counter("lifeboat.mapping.recovery.plans", "inventory", caughtUp ? "caught-up" : "timed-out")
                .increment();
    }

    /** How many of the VMs are still in the inventory but were last observed before {@code since}. */
    private int notObservedSince(Set<String> vms, Instant since) {
        if (vms.isEmpty()) {
            return 0;
        }
        Number n = (Number) em.createNativeQuery("select count(*) from vm_interval where vm_key = any(cast(?1 as"
                        + " varchar[])) and valid_to is null and last_seen_at < ?2")
                .setParameter(1, vms.toArray(String[]::new)).setParameter(2, Timestamp.from(since))
                .getSingleResult();
        return n.intValue();
    }
}
