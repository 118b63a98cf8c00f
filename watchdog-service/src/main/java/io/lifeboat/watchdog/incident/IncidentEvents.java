package io.lifeboat.watchdog.incident;

import io.lifeboat.common.envelope.EventEnvelope;
import io.lifeboat.common.event.EventTypes;
import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.id.VmKey;
import io.lifeboat.common.incident.GuestIncident;
import io.lifeboat.service.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.hibernate.Session;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Publishes each incident's change on {@code lifeboat.guest-incidents.v1} through the outbox, in the transaction
 * that made it: once per incident per transaction, at its final version. The event id is derived from the incident
 * and its version, so publishing the same version again (after a crash) gives the same {@code ce_id}.
 */
@ApplicationScoped
public class IncidentEvents {

    @Inject
    Outbox outbox;

    @Inject
    EntityManager em;

    @Transactional(Transactional.TxType.MANDATORY)
    public void changed(Collection<Incident> incidents) {
        if (incidents.isEmpty()) {
            return;
        }
        Set<UUID> ids = new LinkedHashSet<>();
        incidents.forEach(i -> ids.add(i.id));
        Map<UUID, List<String>> raw = em.unwrap(Session.class).doReturningWork(c -> RawEventStore.rawIds(c, ids));
        Instant now = Instant.now();
        List<EventEnvelope<?>> events = new ArrayList<>(incidents.size());
        for (Incident i : incidents) {
            if (i.publishedVersion != i.version) {
                i.publishedVersion = i.version;   // changed anyway (its version moved): no extra update
            }
            GuestIncident data = event(i, raw.getOrDefault(i.id, List.of()));
            events.add(new EventEnvelope<>(eventId(i), outbox.source(), EventTypes.GUEST_INCIDENT, now,
                    EventTypes.GUEST_INCIDENT.keyFor(data), data));
        }
        outbox.addAll(events);
    }

    /** The same incident version, the same event id. */
    static String eventId(Incident i) {
        return UUID.nameUUIDFromBytes(("lifeboat.guest-incident/" + i.id + "/" + i.version)
                .getBytes(StandardCharsets.UTF_8)).toString();
    }

    static GuestIncident event(Incident i, List<String> rawIds) {
        return new GuestIncident(i.id, i.kind, i.vmKey == null ? null : VmKey.parse(i.vmKey), i.vmName,
                i.hostKey == null ? null : HostKey.parse(i.hostKey), i.hypervisor, i.domainUuid, i.domainName,
                i.action, i.firstSeenAt, i.lastSeenAt, i.eventCount, rawIds, i.detail);
    }
}
