package io.lifeboat.watchdog.incident;

import io.lifeboat.common.incident.IncidentKind;
import io.lifeboat.common.libvirt.LibvirtRawEvent;
import io.lifeboat.watchdog.config.WatchdogConfig;
import io.lifeboat.watchdog.inventory.VmRef;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.hibernate.Session;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Raw events → incidents, a batch at a time: stores the events (the same event twice is taken once), maps each
 * domain to its inventory VM, joins the event to the guest's open incident when it belongs there or starts one, and
 * watches for crash loops. The guests' recent incidents and VMs are read once per batch; the batch is played in order
 * in memory, so an event sees what the events before it in the batch did.
 */
@ApplicationScoped
public class IncidentCorrelator {

    @Inject
    WatchdogConfig config;

    @Inject
    EntityManager em;

    @Inject
    MeterRegistry metrics;

    /** Applies the events in order, inside the caller's transaction; returns the incidents started or changed. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Collection<Incident> apply(List<RawEvent> events) {
        Session session = em.unwrap(Session.class);
        Set<String> stored = session.doReturningWork(c -> RawEventStore.store(c, events, Instant.now()));
        List<RawEvent> fresh = new ArrayList<>(stored.size());
        Set<String> taken = new HashSet<>();
        for (RawEvent r : events) {
            if (stored.contains(r.id()) && taken.add(r.id())) {
                fresh.add(r);
                metrics.counter("lifeboat.watchdog.raw.events", "outcome", "stored", "kind", r.event().kind().name())
                        .increment();
            } else {
                metrics.counter("lifeboat.watchdog.raw.events", "outcome", "duplicate").increment();
            }
        }
        List<RawEvent> classified = fresh.stream().filter(r -> Classification.of(r.event()) != null).toList();
        if (classified.isEmpty()) {
            return List.of();
        }
        Guests guests = Guests.load(classified.stream().map(RawEvent::event).toList());
        Instant earliest = classified.stream().map(r -> r.event().occurredAt()).min(Instant::compareTo).orElseThrow();
        Duration reach = config.incidentWindow().compareTo(config.crashLoopWindow()) > 0 ? config.incidentWindow()
                : config.crashLoopWindow();
        Play play = new Play(Recent.load(guests, classified, earliest.minus(reach)), guests);
        for (RawEvent r : classified) {
            play.event(r.id(), r.event());
        }
        session.doWork(c -> RawEventStore.link(c, play.links));
        return play.touched.values();
    }

    /** The VM behind a domain, as the batch's correlation would choose it. */
    public Optional<VmRef> resolve(String uuid, String name, String hypervisor) {
        return Guests.load(uuid, name).resolve(uuid, name, hypervisor);
    }

    /** "cmp-a03" and "cmp-a03.dc1.example" are the same hypervisor. */
    static boolean sameHost(String a, String b) {
        return Guests.sameHost(a, b);
    }

    /** One batch played in memory over the incidents it read. */
    private final class Play {
        private final Recent incidents;
        private final Guests guests;
        final Map<UUID, Incident> touched = new LinkedHashMap<>();
        final Map<String, UUID> links = new LinkedHashMap<>();

        Play(Recent incidents, Guests guests) {
            this.incidents = incidents;
            this.guests = guests;
        }

        void event(String eventId, LibvirtRawEvent e) {
            Classification c = Classification.of(e);
            Optional<VmRef> vm = guests.resolve(e.domainUuid(), e.domainName(), e.hypervisor());
            Instant since = e.occurredAt().minus(config.incidentWindow());
            Optional<Incident> open = incidents.latest(vm, e.hypervisor(), e.domainUuid(), e.domainName(), c.joins(),
                    since);
            Incident i;
            if (open.isPresent()) {
                i = open.get();
                if (e.occurredAt().isAfter(i.lastSeenAt)) {
                    i.lastSeenAt = e.occurredAt();
                }
                if (e.occurredAt().isBefore(i.firstSeenAt)) {
                    i.firstSeenAt = e.occurredAt();
                }
                i.eventCount++;
                if (i.action == null && c.action() != null && c.kind() == i.kind) {
                    i.action = c.action();
                }
                if (i.domainUuid == null && e.domainUuid() != null) {
                    i.domainUuid = e.domainUuid().toLowerCase();
                }
                if (i.domainName == null) {
                    i.domainName = e.domainName();
                }
                i.version++;
            } else if (c.kind() != null) {
                i = new Incident();
                i.id = UUID.randomUUID();
                i.kind = c.kind();
                i.hypervisor = e.hypervisor();
                i.domainUuid = e.domainUuid() == null ? null : e.domainUuid().toLowerCase();
                i.domainName = e.domainName();
                i.hostKey = e.host() == null ? null : e.host().toString();
                i.sourceId = e.host() == null ? null : e.host().source().value();
                i.action = c.action();
                i.detail = c.detail();
                i.firstSeenAt = e.occurredAt();
                i.lastSeenAt = e.occurredAt();
                i.eventCount = 1;
                i.version = 1;
                vm.ifPresent(v -> correlate(i, v));
                em.persist(i);
                incidents.add(i);
                metrics.counter("lifeboat.watchdog.incidents", "kind", i.kind.name()).increment();
            } else {
                return;   // a reboot with no watchdog behind it: a normal reboot
            }
            touched.put(i.id, i);
            links.put(eventId, i.id);
            if (open.isEmpty() && Classification.CRASHES.contains(i.kind)) {
                crashLoop(i, vm, e.occurredAt());
            }
        }

        private void crashLoop(Incident latest, Optional<VmRef> vm, Instant at) {
            Instant since = at.minus(config.crashLoopWindow());
            List<Incident> crashes = incidents.crashes(vm, latest, since);
            if (crashes.size() < config.crashLoopThreshold()) {
                return;
            }
            Optional<Incident> loop = incidents.latest(vm, latest.hypervisor, latest.domainUuid, latest.domainName,
                    Set.of(IncidentKind.CRASH_LOOP), since);
            String detail = crashes.size() + " crashes within " + config.crashLoopWindow().toMinutes() + " min";
            if (loop.isPresent()) {
                Incident l = loop.get();
                l.eventCount = crashes.size();
                l.lastSeenAt = at.isAfter(l.lastSeenAt) ? at : l.lastSeenAt;
                l.detail = detail;
                l.version++;
                touched.put(l.id, l);
                return;
            }
            Incident l = new Incident();
            l.id = UUID.randomUUID();
            l.kind = IncidentKind.CRASH_LOOP;
            l.hypervisor = latest.hypervisor;
            l.domainUuid = latest.domainUuid;
            l.domainName = latest.domainName;
            l.hostKey = latest.hostKey;
            l.sourceId = latest.sourceId;
            l.firstSeenAt = crashes.stream().map(c -> c.firstSeenAt).min(Instant::compareTo).orElse(at);
            l.lastSeenAt = at;
            l.eventCount = crashes.size();
            l.detail = detail;
            l.version = 1;
            vm.ifPresent(v -> correlate(l, v));
            em.persist(l);
            incidents.add(l);
            touched.put(l.id, l);
            metrics.counter("lifeboat.watchdog.incidents", "kind", l.kind.name()).increment();
        }
    }

    /** Ties an incident to its VM. */
    public static void correlate(Incident i, VmRef v) {
        i.vmKey = v.vmKey;
        i.vmName = v.name;
        i.sourceId = v.sourceId;
        if (v.hostKey != null) {
            i.hostKey = v.hostKey;
        }
    }

    /** The inventory learnt a VM: incidents of its domain that waited uncorrelated are tied to it now. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Incident> correlateLate(VmRef v) {
        List<Incident> waiting = new ArrayList<>(Incident.list("vmKey is null and domainUuid = ?1",
                v.vmId.toLowerCase()));
        waiting.addAll(Incident.list("vmKey is null and domainName = ?1 and domainUuid is null", v.domainName));
        List<Incident> tied = new ArrayList<>();
        for (Incident i : waiting) {
            if (i.domainUuid == null && resolve(null, i.domainName, i.hypervisor).map(r -> !r.vmKey.equals(v.vmKey))
                    .orElse(true)) {
                continue;   // a shared name: only the VM on that hypervisor
            }
            correlate(i, v);
            i.version++;
            tied.add(i);
        }
        return tied;
    }
}
