package io.lifeboat.watchdog.incident;

import io.lifeboat.common.envelope.EventEnvelope;
import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.id.VmKey;
import io.lifeboat.common.incident.GuestIncident;
import io.lifeboat.service.events.EventPublisher;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Publishes each incident's changes on {@code lifeboat.guest-incidents.v1} after they commit: an incident whose
 * {@code version} is ahead of its {@code publishedVersion} is published, then marked. A crash in between publishes it
 * again, with the same content and a new event id; consumers keep the latest per incident id.
 */
@ApplicationScoped
public class IncidentPublisher {

    private static final Logger LOG = Logger.getLogger(IncidentPublisher.class);
    private static final URI SOURCE = URI.create("/lifeboat/watchdog");

    @Inject
    EventPublisher publisher;

    @Inject
    EntityManager em;

    private volatile boolean stopping;

    void onStop(@Observes ShutdownEvent e) {
        stopping = true;
    }

    @Scheduled(every = "${lifeboat.watchdog.publish-interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void relay() {
        if (stopping) {
            return;
        }
        try {
            List<Object[]> batch;
            do {
                batch = pending();
                List<EventEnvelope<?>> events = new ArrayList<>();
                for (Object[] row : batch) {
                    events.add(EventEnvelope.create(SOURCE, (GuestIncident) row[0]));
                }
                if (!events.isEmpty()) {
                    publisher.publishAllAndWait(events);
                    markPublished(batch);
                }
            } while (batch.size() == 200);
        } catch (RuntimeException e) {
            LOG.warnf("incident publication failed, will retry: %s", e.getMessage());
        }
    }

    /** [GuestIncident, id, version] of the incidents with unpublished changes. */
    @Transactional
    List<Object[]> pending() {
        List<Incident> list = Incident.find("publishedVersion < version order by lastSeenAt").page(0, 200).list();
        List<Object[]> out = new ArrayList<>();
        for (Incident i : list) {
            List<String> raw = em.createQuery("select r.id from RawEventRow r where r.incidentId = :i order by"
                    + " r.occurredAt", String.class).setParameter("i", i.id).setMaxResults(100).getResultList();
            out.add(new Object[] {event(i, raw), i.id, i.version});
        }
        return out;
    }

    @Transactional
    void markPublished(List<Object[]> batch) {
        for (Object[] row : batch) {
            em.createQuery("update Incident i set i.publishedVersion = :v where i.id = :id and i.publishedVersion < :v")
                    .setParameter("v", row[2]).setParameter("id", row[1]).executeUpdate();
        }
    }

    static GuestIncident event(Incident i, List<String> rawIds) {
        return new GuestIncident(i.id, i.kind, i.vmKey == null ? null : VmKey.parse(i.vmKey), i.vmName,
                i.hostKey == null ? null : HostKey.parse(i.hostKey), i.hypervisor, i.domainUuid, i.domainName,
                i.action, i.firstSeenAt, i.lastSeenAt, i.eventCount, rawIds, i.detail);
    }

}
