package io.lifeboat.service.events;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.hibernate.Session;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Makes consumers idempotent on the CloudEvents id: an event's effects and its inbox row commit in one transaction,
 * so a redelivery (rebalance, restart, replay from the beginning) changes nothing. Each service's schema has the
 * {@code processed_event} table; rows older than the topics' retention are purged (see {@code Retention}).
 */
@ApplicationScoped
public class Inbox {

    @Inject
    EntityManager em;

    /**
     * Records the events as processed, in one statement; returns the ids that were not processed before. Must run
     * inside the transaction that applies the events' effects.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Set<String> firstDeliveries(List<String> eventIds, List<String> eventTypes) {
        if (eventIds.isEmpty()) {
            return Set.of();
        }
        return em.unwrap(Session.class).doReturningWork(c -> {
            Set<String> fresh = new HashSet<>();
            try (PreparedStatement ps = c.prepareStatement("insert into processed_event (event_id, event_type,"
                    + " processed_at) select i, t, now() from unnest(?, ?) as u(i, t)"
                    + " on conflict (event_id) do nothing returning event_id")) {
                Array ids = c.createArrayOf("varchar", eventIds.toArray());
                Array types = c.createArrayOf("varchar", eventTypes.toArray());
                ps.setArray(1, ids);
                ps.setArray(2, types);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        fresh.add(rs.getString(1));
                    }
                }
            }
            return fresh;
        });
    }

    /** One event; see {@link #firstDeliveries}. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean firstDelivery(String eventId, String eventType) {
        return !firstDeliveries(List.of(eventId), List.of(eventType)).isEmpty();
    }
}
