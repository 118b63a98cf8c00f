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

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Raw events → incidents: stores the event (the same event twice is taken once), maps its domain to the inventory
 * VM, joins it to the guest's open incident when it belongs there, or starts one; then watches for crash loops.
 */
@ApplicationScoped
public class IncidentCorrelator {

    @Inject
    WatchdogConfig config;

    @Inject
    EntityManager em;

    @Inject
    MeterRegistry metrics;

    /** Applies one raw event; returns the incident it started or joined, if any. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Incident> apply(String eventId, LibvirtRawEvent e) {
        if (!store(eventId, e)) {
            metrics.counter("lifeboat.watchdog.raw.events", "outcome", "duplicate").increment();
            return Optional.empty();
        }
        metrics.counter("lifeboat.watchdog.raw.events", "outcome", "stored", "kind", e.kind().name()).increment();
        Classification c = Classification.of(e);
        if (c == null) {
            return Optional.empty();
        }
        Optional<VmRef> vm = resolve(e.domainUuid(), e.domainName(), e.hypervisor());
        Instant since = e.occurredAt().minus(config.incidentWindow());
        Optional<Incident> open = latest(vm, e, c.joins(), since);
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
            i.persist();
            metrics.counter("lifeboat.watchdog.incidents", "kind", i.kind.name()).increment();
        } else {
            return Optional.empty();   // a reboot with no watchdog behind it: a normal reboot
        }
        em.createQuery("update RawEventRow r set r.incidentId = :i where r.id = :id").setParameter("i", i.id)
                .setParameter("id", eventId).executeUpdate();
        if (open.isEmpty() && Classification.CRASHES.contains(i.kind)) {
            crashLoop(i, vm, e.occurredAt());
        }
        return Optional.of(i);
    }

    private boolean store(String eventId, LibvirtRawEvent e) {
        int n = em.createNativeQuery("insert into raw_event (id, hypervisor, host_key, domain_uuid, domain_name, kind,"
                        + " lifecycle_type, lifecycle_detail, watchdog_action, io_src_path, io_dev_alias, io_action,"
                        + " io_reason, occurred_at, via, raw_line, received_at) values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
                        + " ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17) on conflict do nothing")
                .setParameter(1, eventId).setParameter(2, e.hypervisor())
                .setParameter(3, e.host() == null ? null : e.host().toString())
                .setParameter(4, e.domainUuid() == null ? null : e.domainUuid().toLowerCase())
                .setParameter(5, e.domainName()).setParameter(6, e.kind().name())
                .setParameter(7, e.lifecycleType()).setParameter(8, e.lifecycleDetail())
                .setParameter(9, e.watchdogAction())
                .setParameter(10, e.ioError() == null ? null : e.ioError().srcPath())
                .setParameter(11, e.ioError() == null ? null : e.ioError().devAlias())
                .setParameter(12, e.ioError() == null ? null : e.ioError().action())
                .setParameter(13, e.ioError() == null ? null : e.ioError().reason())
                .setParameter(14, e.occurredAt()).setParameter(15, e.via().name()).setParameter(16, e.rawLine())
                .setParameter(17, Instant.now())
                .executeUpdate();
        return n == 1;
    }

    /**
     * The VM behind a domain: by UUID (the Nova instance UUID or the oVirt VM id), else by domain name; a name that
     * several VMs share (two regions' instance-0000a001) counts only on the VM's own hypervisor.
     */
    public Optional<VmRef> resolve(String uuid, String name, String hypervisor) {
        if (uuid != null) {
            List<VmRef> byId = VmRef.list("lower(vmId) = ?1 and removed = false", uuid.toLowerCase());
            if (byId.size() == 1) {
                return Optional.of(byId.get(0));
            }
        }
        if (name != null) {
            List<VmRef> byName = VmRef.list("domainName = ?1 and removed = false", name);
            if (byName.size() == 1) {
                return Optional.of(byName.get(0));
            }
            return byName.stream().filter(v -> sameHost(v.hostName, hypervisor)).findFirst();
        }
        return Optional.empty();
    }

    /** "cmp-a03" and "cmp-a03.dc1.example" are the same hypervisor. */
    static boolean sameHost(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        String x = a.toLowerCase();
        String y = b.toLowerCase();
        return x.equals(y) || x.startsWith(y + ".") || y.startsWith(x + ".");
    }

    private Optional<Incident> latest(Optional<VmRef> vm, LibvirtRawEvent e, Set<IncidentKind> kinds, Instant since) {
        return latest(vm, e.hypervisor(), e.domainUuid(), e.domainName(), kinds, since);
    }

    /** The guest's most recent incident of these kinds seen since then: by VM when known, else by domain. */
    private Optional<Incident> latest(Optional<VmRef> vm, String hypervisor, String domainUuid, String domainName,
                                      Set<IncidentKind> kinds, Instant since) {
        List<Incident> candidates;
        if (vm.isPresent()) {
            candidates = Incident.list("vmKey = ?1 and kind in ?2 and lastSeenAt >= ?3 order by lastSeenAt desc",
                    vm.get().vmKey, kinds, since);
        } else {
            // Two indexed lookups (by UUID, by name) rather than one OR that scans the hypervisor's incidents.
            candidates = new java.util.ArrayList<>();
            if (domainUuid != null) {
                candidates.addAll(Incident.list("hypervisor = ?1 and domainUuid = ?2 and lastSeenAt >= ?3 and kind in"
                        + " ?4", hypervisor, domainUuid.toLowerCase(), since, kinds));
            }
            if (domainName != null) {
                candidates.addAll(Incident.list("hypervisor = ?1 and domainName = ?2 and lastSeenAt >= ?3 and kind in"
                        + " ?4", hypervisor, domainName, since, kinds));
            }
            candidates.sort(java.util.Comparator.comparing((Incident x) -> x.lastSeenAt).reversed());
        }
        return candidates.stream().findFirst();
    }

    private void crashLoop(Incident latest, Optional<VmRef> vm, Instant at) {
        Instant since = at.minus(config.crashLoopWindow());
        List<Incident> crashes = vm.isPresent()
                ? Incident.list("vmKey = ?1 and kind in ?2 and firstSeenAt >= ?3", vm.get().vmKey,
                Classification.CRASHES, since)
                : latest.domainUuid != null
                ? Incident.list("hypervisor = ?1 and domainUuid = ?2 and lastSeenAt >= ?3 and kind in ?4",
                latest.hypervisor, latest.domainUuid, since, Classification.CRASHES)
                : Incident.list("hypervisor = ?1 and domainName = ?2 and lastSeenAt >= ?3 and kind in ?4",
                latest.hypervisor, latest.domainName, since, Classification.CRASHES);
        if (crashes.size() < config.crashLoopThreshold()) {
            return;
        }
        Optional<Incident> loop = latest(vm, latest.hypervisor, latest.domainUuid, latest.domainName,
                Set.of(IncidentKind.CRASH_LOOP), since);
        String detail = crashes.size() + " crashes within " + config.crashLoopWindow().toMinutes() + " min";
        if (loop.isPresent()) {
            Incident l = loop.get();
            l.eventCount = crashes.size();
            l.lastSeenAt = at.isAfter(l.lastSeenAt) ? at : l.lastSeenAt;
            l.detail = detail;
            l.version++;
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
        l.persist();
        metrics.counter("lifeboat.watchdog.incidents", "kind", l.kind.name()).increment();
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
    public int correlateLate(VmRef v) {
        List<Incident> waiting = new java.util.ArrayList<>(Incident.list("vmKey is null and domainUuid = ?1",
                v.vmId.toLowerCase()));
        waiting.addAll(Incident.list("vmKey is null and domainName = ?1 and domainUuid is null", v.domainName));
        int n = 0;
        for (Incident i : waiting) {
            if (i.domainUuid == null && resolve(null, i.domainName, i.hypervisor).map(r -> !r.vmKey.equals(v.vmKey))
                    .orElse(true)) {
                continue;   // a shared name: only the VM on that hypervisor
            }
            correlate(i, v);
            i.version++;
            n++;
        }
        return n;
    }
}
