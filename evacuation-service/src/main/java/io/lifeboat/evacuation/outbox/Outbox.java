package io.lifeboat.evacuation.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.lifeboat.common.envelope.EventEnvelope;
import io.lifeboat.common.event.EventType;
import io.lifeboat.common.event.EventTypes;
import io.lifeboat.common.json.Json;
import io.lifeboat.service.events.EventPublisher;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A transactional outbox: an event is stored in the transaction that makes it true, and published after, in order.
 * A crash between the two loses nothing; a crash after publishing but before the row is deleted publishes the
 * event again with the same {@code ce_id}, which consumers ignore (they are idempotent on it).
 */
@ApplicationScoped
public class Outbox {

    private static final Logger LOG = Logger.getLogger(Outbox.class);
    public static final URI SOURCE = URI.create("/lifeboat/evacuation");

    @Inject
    EventPublisher publisher;

    private final ReentrantLock relaying = new ReentrantLock();
    private volatile boolean stopping;

    void onStop(@Observes ShutdownEvent e) {
        stopping = true;   // what is left is published by the next start, or by another replica
    }

    /** Stores an event for publication; must run in the transaction of the change it reports. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void add(Object data, Instant at) {
        EventEnvelope<?> e = EventEnvelope.create(SOURCE, data, at);
        OutboxEvent row = new OutboxEvent();
        row.eventId = e.id();
        row.type = e.type().type();
        row.source = e.source().toString();
        row.eventTime = e.time();
        try {
            row.payload = Json.mapper().writeValueAsString(e.data());
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot encode " + row.type, ex);
        }
        row.persist();
    }

    /** Publishes what is waiting, oldest first; one relay at a time per replica. */
    @Scheduled(every = "${lifeboat.evacuation.outbox-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void relay() {
        if (stopping || !relaying.tryLock()) {
            return;
        }
        try {
            List<OutboxEvent> batch;
            do {
                batch = next();
                if (batch.isEmpty()) {
                    return;
                }
                List<EventEnvelope<?>> events = new ArrayList<>(batch.size());
                for (OutboxEvent row : batch) {
                    events.add(envelope(row));
                }
                publisher.publishAllAndWait(events);
                delete(batch.get(batch.size() - 1).id);
            } while (batch.size() == 200);
        } catch (RuntimeException e) {
            LOG.warnf("outbox relay failed, will retry: %s", e.getMessage());
        } finally {
            relaying.unlock();
        }
    }

    @Transactional
    List<OutboxEvent> next() {
        return OutboxEvent.find("order by id").page(0, 200).list();
    }

    @Transactional
    void delete(long upTo) {
        OutboxEvent.delete("id <= ?1", upTo);
    }

    private static EventEnvelope<?> envelope(OutboxEvent row) {
        EventType<?> type = EventTypes.byType(row.type).orElseThrow(() ->
                new IllegalStateException("unknown event type in the outbox: " + row.type));
        return build(row, type);
    }

    private static <T> EventEnvelope<T> build(OutboxEvent row, EventType<T> type) {
        try {
            T data = Json.mapper().readValue(row.payload, type.dataClass());
            return new EventEnvelope<>(row.eventId, URI.create(row.source), type, row.eventTime, type.keyFor(data),
                    data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot decode outbox event " + row.eventId, e);
        }
    }
}
