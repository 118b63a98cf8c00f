package io.lifeboat.service.outbox;

import io.lifeboat.common.envelope.EventEnvelope;
import io.lifeboat.common.json.Json;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.Session;

import java.net.URI;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A transactional outbox: an event is stored in the transaction that makes it true and published by the
 * {@link OutboxRelay} once that transaction commits (woken by the commit itself, not by a timer). A crash between the
 * two loses nothing; a crash after publishing but before the row is deleted publishes the event again with the same
 * {@code ce_id}, which consumers ignore.
 */
@ApplicationScoped
public class Outbox {

    private static final Object ROWS = new Object();

    @Inject
    EntityManager em;

    @Inject
    TransactionSynchronizationRegistry transactions;

    @Inject
    OutboxRelay relay;

    @ConfigProperty(name = "quarkus.application.name", defaultValue = "lifeboat")
    String service;

    /** The CloudEvents source of this service's events, e.g. {@code /lifeboat/evacuation}. */
    public URI source() {
        return URI.create("/lifeboat/" + service.replaceAll("-service$", ""));
    }

    /** Stores an event with a new id; must run in the transaction of the change it reports. */
    @Transactional(Transactional.TxType.MANDATORY)
    public EventEnvelope<?> add(Object data, Instant at) {
        EventEnvelope<?> e = EventEnvelope.create(source(), data, at);
        add(e);
        return e;
    }

    /** Stores an event as built by the caller (whose id may be derived from the change, to stay the same). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void add(EventEnvelope<?> e) {
        String payload;
        try {
            payload = Json.mapper().writeValueAsString(e.data());
        } catch (Exception ex) {
            throw new IllegalStateException("cannot encode " + e.type().type() + ": " + ex.getMessage(), ex);
        }
        long id = em.unwrap(Session.class).doReturningWork(c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into outbox_event (event_id, type, source,"
                    + " event_time, payload, record_key) values (?, ?, ?, ?, ?, ?) returning id")) {
                ps.setString(1, e.id());
                ps.setString(2, e.type().type());
                ps.setString(3, e.source().toString());
                ps.setTimestamp(4, Timestamp.from(e.time()));
                ps.setString(5, payload);
                ps.setString(6, e.key());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
        rowsOfThisTransaction().add(id);
    }

    /** Stores events in one statement; must run in the transaction of the changes they report. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void addAll(List<EventEnvelope<?>> events) {
        if (events.isEmpty()) {
            return;
        }
        int n = events.size();
        String[][] cols = new String[6][n];
        for (int i = 0; i < n; i++) {
            EventEnvelope<?> e = events.get(i);
            cols[0][i] = e.id();
            cols[1][i] = e.type().type();
            cols[2][i] = e.source().toString();
            cols[3][i] = e.time().toString();
            cols[5][i] = e.key();
            try {
                cols[4][i] = Json.mapper().writeValueAsString(e.data());
            } catch (Exception ex) {
                throw new IllegalStateException("cannot encode " + e.type().type() + ": " + ex.getMessage(), ex);
            }
        }
        List<Long> ids = em.unwrap(Session.class).doReturningWork(c -> {
            List<Long> out = new ArrayList<>(n);
            try (PreparedStatement ps = c.prepareStatement("insert into outbox_event (event_id, type, source,"
                    + " event_time, payload, record_key) select i, t, s, et::timestamptz, p, k from unnest(?::varchar[],"
                    + " ?::varchar[], ?::varchar[], ?::varchar[], ?::text[], ?::varchar[]) with ordinality"
                    + " as u(i, t, s, et, p, k, o) order by o returning id")) {
                for (int col = 0; col < 6; col++) {
                    ps.setArray(col + 1, c.createArrayOf(col == 4 ? "text" : "varchar", cols[col]));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getLong(1));
                    }
                }
            }
            return out;
        });
        rowsOfThisTransaction().addAll(ids);
    }

    @SuppressWarnings("unchecked")
    private List<Long> rowsOfThisTransaction() {
        List<Long> rows = (List<Long>) transactions.getResource(ROWS);
        if (rows == null) {
            List<Long> fresh = new ArrayList<>();
            transactions.putResource(ROWS, fresh);
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                }

                @Override
                public void afterCompletion(int status) {
                    if (status == Status.STATUS_COMMITTED) {
                        relay.committed(fresh);
                    }
                }
            });
            rows = fresh;
        }
        return rows;
    }
}
