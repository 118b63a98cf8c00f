package io.lifeboat.service.events;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * Makes consumers idempotent on the CloudEvents id: an event's effects and its inbox row commit in one transaction,
 * so a redelivery (rebalance, restart, replay from the beginning) changes nothing. Each service's schema has the
 * {@code processed_event} table (created by its own Flyway migration).
 */
@ApplicationScoped
public class Inbox {

    @Inject
    EntityManager em;

    /**
     * Records the event as processed; returns false if it already was. Must run inside the transaction that applies
     * the event's effects.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean firstDelivery(String eventId, String eventType) {
        int inserted = em.createNativeQuery("insert into processed_event (event_id, event_type, processed_at)"
                        + " values (?1, ?2, now()) on conflict (event_id) do nothing")
                .setParameter(1, eventId)
                .setParameter(2, eventType)
                .executeUpdate();
        return inserted == 1;
    }
}
