package io.lifeboat.mapping.plan;

import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.id.VmKey;
import io.lifeboat.common.json.Json;
import io.lifeboat.common.lun.LunWwid;
import io.lifeboat.common.plan.KeepReason;
import io.lifeboat.common.plan.UnmapDecision;
import io.lifeboat.common.plan.UnmapPlan;
import io.lifeboat.common.plan.UnmapPlanEntry;
import io.lifeboat.mapping.config.MappingConfig;
import io.lifeboat.service.outbox.Outbox;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Builds the unmap plan of a host as of a time from the recorded history: every LUN of the VMs that were on the host
 * just before that time, each to unmap or to keep with its reason (DESIGN.md, "Unmap nothing that is still in use").
 * Building a plan changes nothing on the SAN.
 *
 * <p>A LUN is kept when (first reason that applies): its id is not a WWID; it backs a block storage domain; a VM
 * still on that host now holds it (running, paused, or unknown because the host is not fenced yet); a VM on another
 * host uses it now; or its VM is soft-deleted and still restorable.
 */
@ApplicationScoped
public class UnmapPlanner {

    /** Statuses in which a VM still on the failed host may hold its LUNs there. */
    static final Set<String> HOLDING = Set.of("RUNNING", "PAUSED", "SUSPENDED", "MIGRATING", "STARTING", "STOPPING",
            "REBUILDING", "NOT_RESPONDING", "UNKNOWN");
    static final Set<String> FAILED_HOST = Set.of("DOWN", "NON_RESPONSIVE");

    @Inject
    EntityManager em;

    @Inject
    MappingConfig config;

    @Inject
    Outbox outbox;

    @Inject
    MeterRegistry metrics;

    private final Clock clock = Clock.systemUTC();

    /** The default "as of": when the host's current failure was first observed; now if it is not failed. */
    @Transactional
    public Instant defaultAsOf(HostKey host) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select status, valid_from from host_interval where host_key = ?1"
                + " order by valid_from desc").setParameter(1, host.toString()).setMaxResults(100).getResultList();
        Instant since = null;
        for (Object[] r : rows) {
            String status = (String) r[0];
            if (FAILED_HOST.contains(status)) {
                since = instant(r[1]);
            } else if (!("TRANSITIONING".equals(status) && since == null)) {
                // A host rebooting after its failure (the oVirt engine's own fence restarts it) is still in that
                // failure: its newest TRANSITIONING intervals are looked through; anything else ends the failure.
                break;
            }
        }
        return since != null ? since : clock.instant();
    }

    /** Builds the plan; does not store or publish it. */
    @Transactional
    public UnmapPlan plan(HostKey host, Instant requestedAsOf, String trigger) {
        Instant asOf = io.lifeboat.mapping.lineage.Times.micros(requestedAsOf);
        Instant now = clock.instant();
        String hostName = hostName(host, asOf);
        Timestamp t = Timestamp.from(asOf);

        @SuppressWarnings("unchecked")
        List<Object[]> disks = em.createNativeQuery("""
                select v.vm_key, v.vm_name, d.disk_id, d.disk_name, d.lun_id, d.lun_wwid
                  from vm_interval v
                  join vm_disk_interval d on d.vm_key = v.vm_key
                 where v.host_key = ?1
                   and v.valid_from < ?2 and (v.valid_to is null or v.valid_to >= ?2)
                   and d.valid_from < ?2 and (d.valid_to is null or d.valid_to >= ?2)
                   and d.lun_id is not null
                 order by v.vm_name, d.disk_id""")
                .setParameter(1, host.toString()).setParameter(2, t).getResultList();

        List<UnmapPlanEntry> entries = new ArrayList<>();
        Map<String, Optional<String>> domainOf = new HashMap<>();
        for (Object[] r : disks) {
            String vmKey = (String) r[0];
            String vmName = (String) r[1];
            String diskId = (String) r[2];
            String diskName = (String) r[3];
            String lunId = (String) r[4];
            String wwidText = (String) r[5];
            LunWwid wwid = wwidText == null ? null : LunWwid.parse(wwidText);
            VmKey vm = VmKey.parse(vmKey);
            if (wwid == null) {
                entries.add(new UnmapPlanEntry(lunId, null, vm, vmName, diskId, diskName, UnmapDecision.KEEP,
                        KeepReason.UNKNOWN_WWID, "'" + lunId + "' is not a LUN WWID: find it on the SAN by hand"));
                continue;
            }
            Optional<String> domain = domainOf.computeIfAbsent(wwidText, w -> storageDomain(w, t));
            if (domain.isPresent()) {
                entries.add(keep(lunId, wwid, vm, vmName, diskId, diskName, KeepReason.BACKS_STORAGE_DOMAIN,
                        "backs block storage domain " + domain.get() + ": every host of the data center needs it"));
                continue;
            }
            Optional<String> holder = holderOnHost(host, wwidText);
            if (holder.isPresent()) {
                entries.add(keep(lunId, wwid, vm, vmName, diskId, diskName, KeepReason.IN_USE_ON_HOST,
                        holder.get()));
                continue;
            }
            Optional<String> elsewhere = usedElsewhere(host, vmKey, wwidText);
            if (elsewhere.isPresent()) {
                entries.add(keep(lunId, wwid, vm, vmName, diskId, diskName, KeepReason.SHARED_WITH_OTHER_HOST,
                        elsewhere.get()));
                continue;
            }
            Optional<String> restorable = softDeletedRestorable(vmKey, now);
            if (restorable.isPresent()) {
                entries.add(keep(lunId, wwid, vm, vmName, diskId, diskName, KeepReason.VM_SOFT_DELETED_RESTORABLE,
                        restorable.get()));
                continue;
            }
            entries.add(new UnmapPlanEntry(lunId, wwid, vm, vmName, diskId, diskName, UnmapDecision.UNMAP, null,
                    null));
        }
        entries.sort(Comparator.comparing((UnmapPlanEntry e) -> e.decision()).thenComparing(UnmapPlanEntry::vmName)
                .thenComparing(UnmapPlanEntry::lunId));
        return new UnmapPlan(UUID.randomUUID(), host, hostName, sanHostName(host, hostName), asOf, now, trigger,
                entries);
    }

    /**
     * Builds, stores and publishes a plan for a trigger, once: a trigger that already produced a plan (a redelivered
     * failure event) returns that plan. The plan is published through the outbox, after the transaction commits.
     */
    @Transactional
    public UnmapPlan publishFor(HostKey host, Instant requestedAsOf, String trigger) {
        Instant asOf = io.lifeboat.mapping.lineage.Times.micros(requestedAsOf);
        Optional<UnmapPlan> existing = byTrigger(trigger);
        if (existing.isPresent()) {
            return existing.get();
        }
        UnmapPlan plan = plan(host, asOf, trigger);
        long unmap = plan.entries().stream().filter(e -> e.decision() == UnmapDecision.UNMAP).count();
        em.createNativeQuery("insert into unmap_plan (plan_id, host_key, as_of, generated_at, trigger, unmap_count,"
                        + " keep_count, plan) values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
                .setParameter(1, plan.planId()).setParameter(2, host.toString())
                .setParameter(3, Timestamp.from(plan.asOf())).setParameter(4, Timestamp.from(plan.generatedAt()))
                .setParameter(5, trigger).setParameter(6, (int) unmap)
                .setParameter(7, plan.entries().size() - (int) unmap).setParameter(8, json(plan))
                .executeUpdate();
        outbox.add(plan, plan.generatedAt());   // published once this transaction commits
        metrics.counter("lifeboat.mapping.unmap.plans", "trigger", trigger.substring(0, trigger.indexOf(':') < 0
                ? trigger.length() : trigger.indexOf(':'))).increment();
        return plan;
    }

    /** Stored plans of a host, newest first. */
    @Transactional
    public List<UnmapPlan> stored(HostKey host) {
        @SuppressWarnings("unchecked")
        List<String> rows = em.createNativeQuery("select plan from unmap_plan where host_key = ?1 order by"
                + " generated_at desc").setParameter(1, host.toString()).setMaxResults(50).getResultList();
        return rows.stream().map(UnmapPlanner::parse).toList();
    }

    private Optional<UnmapPlan> byTrigger(String trigger) {
        @SuppressWarnings("unchecked")
        List<String> rows = em.createNativeQuery("select plan from unmap_plan where trigger = ?1")
                .setParameter(1, trigger).getResultList();
        return rows.stream().findFirst().map(UnmapPlanner::parse);
    }

    private String hostName(HostKey host, Instant asOf) {
        @SuppressWarnings("unchecked")
        List<String> names = em.createNativeQuery("select host_name from host_interval where host_key = ?1 and"
                        + " valid_from <= ?2 order by valid_from desc")
                .setParameter(1, host.toString()).setParameter(2, Timestamp.from(asOf)).setMaxResults(1)
                .getResultList();
        if (!names.isEmpty()) {
            return names.get(0);
        }
        @SuppressWarnings("unchecked")
        List<String> vmHost = em.createNativeQuery("select host_name from vm_interval where host_key = ?1 and"
                + " host_name is not null").setParameter(1, host.toString()).setMaxResults(1).getResultList();
        return vmHost.isEmpty() ? host.hostId() : vmHost.get(0);
    }

    String sanHostName(HostKey host, String hostName) {
        Map<String, String> names = config.sanHostNames();
        String byKey = names.get(host.toString());
        if (byKey != null) {
            return byKey;
        }
        return names.getOrDefault(host.source() + "/" + hostName, hostName);
    }

    private Optional<String> storageDomain(String wwid, Timestamp t) {
        @SuppressWarnings("unchecked")
        List<String> names = em.createNativeQuery("select domain_name from storage_domain_lun_interval where"
                        + " lun_wwid = ?1 and valid_from < ?2 and (valid_to is null or valid_to >= ?2)")
                .setParameter(1, wwid).setParameter(2, t).setMaxResults(1).getResultList();
        if (names.isEmpty()) {
            // a domain created since T also needs it now
            @SuppressWarnings("unchecked")
            List<String> now = em.createNativeQuery("select domain_name from storage_domain_lun_interval where"
                    + " lun_wwid = ?1 and valid_to is null").setParameter(1, wwid).setMaxResults(1).getResultList();
            names = now;
        }
        return names.stream().findFirst();
    }

    private Optional<String> holderOnHost(HostKey host, String wwid) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                select v.vm_name, v.status from vm_interval v
                  join vm_disk_interval d on d.vm_key = v.vm_key and d.valid_to is null
                 where v.valid_to is null and v.host_key = ?1 and d.lun_wwid = ?2""")
                .setParameter(1, host.toString()).setParameter(2, wwid).getResultList();
        for (Object[] r : rows) {
            if (HOLDING.contains((String) r[1])) {
                return Optional.of("VM " + r[0] + " is still on this host (" + r[1]
                        + ("UNKNOWN".equals(r[1]) ? ": the host is not fenced yet" : "") + ")");
            }
        }
        return Optional.empty();
    }

    private Optional<String> usedElsewhere(HostKey host, String vmKey, String wwid) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                select v.vm_name, v.host_name, v.host_key from vm_interval v
                  join vm_disk_interval d on d.vm_key = v.vm_key and d.valid_to is null
                 where v.valid_to is null and d.lun_wwid = ?1 and v.vm_key <> ?2
                   and v.host_key is not null and v.host_key <> ?3""")
                .setParameter(1, wwid).setParameter(2, vmKey).setParameter(3, host.toString()).setMaxResults(1)
                .getResultList();
        return rows.stream().findFirst().map(r -> "also used by VM " + r[0] + " on host "
                + (r[1] != null ? r[1] : r[2]));
    }

    private Optional<String> softDeletedRestorable(String vmKey, Instant now) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select deletion_state, reclaim_at from vm_interval where"
                + " vm_key = ?1 and valid_to is null").setParameter(1, vmKey).getResultList();
        for (Object[] r : rows) {
            Instant reclaim = r[1] == null ? null : instant(r[1]);
            if ("SOFT_DELETED".equals(r[0]) && (reclaim == null || now.isBefore(reclaim))) {
                return Optional.of("the VM is soft-deleted and restorable" + (reclaim == null ? ""
                        : " until " + reclaim));
            }
        }
        return Optional.empty();
    }

    private static UnmapPlanEntry keep(String lunId, LunWwid wwid, VmKey vm, String vmName, String diskId,
                                       String diskName, KeepReason reason, String detail) {
        return new UnmapPlanEntry(lunId, wwid, vm, vmName, diskId, diskName, UnmapDecision.KEEP, reason, detail);
    }

    private static Instant instant(Object o) {
        if (o instanceof Timestamp ts) {
            return ts.toInstant();
        }
        if (o instanceof java.time.OffsetDateTime odt) {
            return odt.toInstant();
        }
        return (Instant) o;
    }

    private static String json(UnmapPlan plan) {
        try {
            return Json.mapper().writeValueAsString(plan);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static UnmapPlan parse(String json) {
        try {
            return Json.mapper().readValue(json, UnmapPlan.class);
        } catch (Exception e) {
            throw new IllegalStateException("unreadable stored plan: " + e.getMessage(), e);
        }
    }
}
