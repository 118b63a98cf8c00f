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

    /** The counted series at zero from the start: an alert or a dashboard sees the first incident of each kind. */
    void registerCounters(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent e) {
        for (io.lifeboat.common.incident.IncidentKind kind : io.lifeboat.common.incident.IncidentKind.values()) {
            metrics.counter("lifeboat.watchdog.incidents", "kind", kind.name());
        }
        for (io.lifeboat.common.libvirt.LibvirtEventKind kind : io.lifeboat.common.libvirt.LibvirtEventKind.values()) {
            metrics.counter("lifeboat.watchdog.raw.events", "outcome", "stored", "kind", kind.name());
        }
        metrics.counter("lifeboat.watchdog.raw.events", "outcome", "duplicate");
    }

    /** Applies the events in order, inside the caller's transaction; returns the incidents started or changed. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Collection<Incident> apply(List<RawEvent> events) {
        Session session = em.unwrap(Session.class);
        Set<String> existing = session.doReturningWork(c -> RawEventStore.existing(c, events));
        List<RawEvent> fresh = new ArrayList<>(events.size());
        Set<String> taken = new HashSet<>();
        Set<String> same = new HashSet<>();
        for (RawEvent r : events) {
            if (!existing.contains(r.id()) && taken.add(r.id()) && same.add(RawEventStore.sameKey(r.event()))) {
                fresh.add(r);
                metrics.counter("lifeboat.watchdog.raw.events", "outcome", "stored", "kind", r.event().kind().name())
                        .increment();
            } else {
                metrics.counter("lifeboat.watchdog.raw.events", "outcome", "duplicate").increment();
            }
        }
        List<RawEvent> classified = fresh.stream().filter(r -> Classification.of(r.event()) != null).toList();
        if (classified.isEmpty()) {
            session.doWork(c -> RawEventStore.insert(c, fresh, Map.of(), Instant.now()));
            return List.of();
        }
        session.doWork(c -> lock(c, "pg_advisory_xact_lock_shared"));
        Guests guests = Guests.load(session, classified.stream().map(RawEvent::event).toList());
        Instant earliest = classified.stream().map(r -> r.event().occurredAt()).min(Instant::compareTo).orElseThrow();
        Duration reach = config.incidentWindow().compareTo(config.crashLoopWindow()) > 0 ? config.incidentWindow()
                : config.crashLoopWindow();
        Play play = new Play(Recent.load(session, guests, classified, earliest.minus(reach)), guests);
        for (RawEvent r : classified) {
            play.event(r.id(), r.event());
        }
        // What the batch made and changed is written once it is played, in one statement each; every incident the
        // batch touched is published with it (IncidentEvents), so its published version is its version.
        List<Incident> changed = new ArrayList<>();
        for (Incident i : play.touched.values()) {
            i.publishedVersion = i.version;
            if (!play.created.contains(i)) {
                changed.add(i);
            }
        }
        session.doWork(c -> {
            IncidentRows.write(c, play.created, changed);
            RawEventStore.insert(c, fresh, play.links, Instant.now());
        });
        return play.touched.values();
    }

    /**
     * Correlating raw events (shared) and tying waiting incidents to VMs the inventory just learnt (exclusive) exclude
     * each other, until their transactions end. Without it, a raw batch and a VM batch committing at the same time
     * each missed the other (the VM not yet visible to the one, the incident not yet visible to the other), and the
     * incident waited for its VM forever. Raw batches do not wait for one another.
     */
    private static final long CORRELATION_LOCK = 0x4C49_4645_424F_4154L;

    /** Called by the inventory's VM batch before it ties waiting incidents: waits for raw batches in flight. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void lockForInventory() {
        em.unwrap(Session.class).doWork(c -> lock(c, "pg_advisory_xact_lock"));
    }

    private static void lock(java.sql.Connection c, String function) throws java.sql.SQLException {
        try (java.sql.PreparedStatement ps = c.prepareStatement("select " + function + "(?)")) {
            ps.setLong(1, CORRELATION_LOCK);
            ps.execute();
        }
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
        final Set<Incident> created = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

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
                incidents.add(i);   // indexed under a UUID or name it may just have learnt
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
                created.add(i);
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
            created.add(l);
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

    /**
     * The inventory learnt these VMs: incidents of their domains that waited uncorrelated are tied to them now. One
     * query for the whole batch (the waiting incidents are few, and indexed).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Incident> correlateLate(Collection<VmRef> refs) {
        if (refs.isEmpty()) {
            return List.of();
        }
        Map<String, VmRef> byUuid = new LinkedHashMap<>();
        Set<String> names = new java.util.LinkedHashSet<>();
        for (VmRef v : refs) {
            byUuid.putIfAbsent(v.vmId.toLowerCase(java.util.Locale.ROOT), v);
            names.add(v.domainName);
        }
        List<Incident> waiting = Incident.list("vmKey is null and (domainUuid in ?1 or (domainUuid is null and"
                + " domainName in ?2))", byUuid.keySet(), names);
        List<Incident> tied = new ArrayList<>();
        for (Incident i : waiting) {
            VmRef v;
            if (i.domainUuid != null) {
                v = byUuid.get(i.domainUuid);
            } else {
                // A shared name (two regions' instance-0000a001): only the VM on that hypervisor.
                v = resolve(null, i.domainName, i.hypervisor).filter(r -> refs.stream()
                        .anyMatch(x -> x.vmKey.equals(r.vmKey))).orElse(null);
            }
            if (v == null) {
                continue;
            }
            correlate(i, v);
            i.version++;
            tied.add(i);
        }
        return tied;
    }
}
