package io.lifeboat.mapping.plan;

import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.id.VmKey;
import io.lifeboat.common.json.Json;
import io.lifeboat.common.lun.LunWwid;
import io.lifeboat.common.plan.PlanBasis;
import io.lifeboat.common.plan.UnmapDecision;
import io.lifeboat.common.plan.UnmapPlan;
import io.lifeboat.common.plan.UnmapPlanComparison;
import io.lifeboat.common.plan.UnmapPlanEntry;
import io.lifeboat.mapping.config.MappingConfig;
import io.lifeboat.service.jdbc.Instants;
import io.lifeboat.service.jdbc.KeyLookups;
import io.lifeboat.service.outbox.Outbox;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.hibernate.Session;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
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
                since = Instants.of(r[1]);
            } else if (!("TRANSITIONING".equals(status) && since == null)) {
                // A host rebooting after its failure (the oVirt engine's own fence restarts it) is still in that
                // failure: its newest TRANSITIONING intervals are looked through; anything else ends the failure.
                break;
            }
        }
        return since != null ? since : clock.instant();
    }

    /**
     * Builds the plan; does not store or publish it. The same queries whatever the number of LUNs: the host's name and
     * whether anything was known of it before the time (up to four small ones), the VMs on the host as of the time,
     * their disks with LUNs, then for all their WWIDs at once the storage domains they back and the VMs using them
     * now, and the entries' VMs now; each LUN is then decided by {@link UnmapRules#decide}.
     */
    @Transactional
    public UnmapPlan plan(HostKey host, Instant requestedAsOf, String trigger) {
        Instant asOf = io.lifeboat.mapping.lineage.Times.micros(requestedAsOf);
        Instant now = clock.instant();
        String hostName = hostName(host, asOf);
        Timestamp t = Timestamp.from(asOf);
        PlanBasis basis = basis(host, asOf);

        // Just before T: intervals that began before it and had not ended by it. When nothing was known of the host
        // before T (first observed already failed), the intervals of the observation at T itself count: a full
        // collection cycle stamps the host and its VMs with the same instant. The VMs first, then their disks by key:
        // as one join, PostgreSQL misjudged how few VMs a host has at T and hashed the whole disk history (0.6 s at
        // 10 M rows).
        // Just before T: valid_from < T <= valid_to. At T (first observation): valid_from <= T < valid_to.
        String from = basis == PlanBasis.FIRST_OBSERVATION ? "<=" : "<";
        String to = basis == PlanBasis.FIRST_OBSERVATION ? ">" : ">=";
        Map<String, String> vmNames = new HashMap<>();
        @SuppressWarnings("unchecked")
        List<Object[]> vmRows = em.createNativeQuery("select vm_key, vm_name from vm_interval where host_key = ?1"
                        + " and valid_from " + from + " ?2 and (valid_to is null or valid_to " + to + " ?2)")
                .setParameter(1, host.toString()).setParameter(2, t).getResultList();
        vmRows.forEach(r -> vmNames.put((String) r[0], (String) r[1]));
        List<Object[]> disks = new ArrayList<>();
        lookup("select vm_key, disk_id, disk_name, lun_id, lun_wwid from vm_disk_interval where vm_key = any(?)"
                        + " and valid_from " + from + " ? and (valid_to is null or valid_to " + to + " ?)"
                        + " and lun_id is not null",
                vmNames.keySet(), List.of(t, t), rs -> disks.add(new Object[] {rs.getString(1),
                        vmNames.get(rs.getString(1)), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5)}));
        disks.sort(Comparator.comparing((Object[] r) -> (String) r[1]).thenComparing(r -> (String) r[2]));

        Set<String> wwids = new LinkedHashSet<>();
        Set<String> vmKeys = new LinkedHashSet<>();
        for (Object[] r : disks) {
            vmKeys.add((String) r[0]);
            if (r[5] != null) {
                wwids.add((String) r[5]);
            }
        }
        Map<String, String> domains = storageDomains(wwids, t, from, to);
        Map<String, List<UnmapRules.User>> users = users(wwids);
        Map<String, UnmapRules.OwnVm> ownVms = ownVms(vmKeys);

        List<UnmapPlanEntry> entries = new ArrayList<>();
        for (Object[] r : disks) {
            String vmKey = (String) r[0];
            String lunId = (String) r[4];
            String wwidText = (String) r[5];
            LunWwid wwid = wwidText == null ? null : LunWwid.parse(wwidText);
            UnmapRules.Facts facts = new UnmapRules.Facts(host.toString(), vmKey, wwid,
                    wwidText == null ? null : domains.get(wwidText),
                    wwidText == null ? List.of() : users.getOrDefault(wwidText, List.of()),
                    ownVms.getOrDefault(vmKey, UnmapRules.OwnVm.GONE));
            UnmapRules.Decision d = UnmapRules.decide(lunId, facts, now);
            entries.add(new UnmapPlanEntry(lunId, wwid, VmKey.parse(vmKey), (String) r[1], (String) r[2],
                    (String) r[3], d.decision(), d.reason(), d.detail()));
        }
        entries.sort(Comparator.comparing((UnmapPlanEntry e) -> e.decision()).thenComparing(UnmapPlanEntry::vmName)
                .thenComparing(UnmapPlanEntry::lunId));
        return new UnmapPlan(UUID.randomUUID(), host, hostName, sanHostName(host, hostName), asOf, now, trigger,
                basis, null, entries);
    }

    /** {@link PlanBasis#FIRST_OBSERVATION} when the history holds nothing of the host before {@code asOf}. */
    private PlanBasis basis(HostKey host, Instant asOf) {
        List<?> before = em.createNativeQuery("select 1 from host_interval where host_key = ?1 and valid_from < ?2")
                .setParameter(1, host.toString()).setParameter(2, Timestamp.from(asOf)).setMaxResults(1)
                .getResultList();
        if (!before.isEmpty()) {
            return PlanBasis.BEFORE_AS_OF;
        }
        List<?> at = em.createNativeQuery("select 1 from host_interval where host_key = ?1 and valid_from = ?2")
                .setParameter(1, host.toString()).setParameter(2, Timestamp.from(asOf)).setMaxResults(1)
                .getResultList();
        return at.isEmpty() ? PlanBasis.BEFORE_AS_OF : PlanBasis.FIRST_OBSERVATION;
    }

    /**
     * Builds, stores and publishes a plan for a trigger, once: a trigger that already produced a plan (a redelivered
     * failure event) returns that plan. The plan is published through the outbox, after the transaction commits.
     */
    @Transactional
    public UnmapPlan publishFor(HostKey host, Instant requestedAsOf, String trigger) {
        return publishFor(host, requestedAsOf, trigger, null, true);
    }

    /**
     * As {@link #publishFor(HostKey, Instant, String)}, compared with the plan an earlier trigger produced (when it
     * did): which LUNs became safe to unmap since, and which are now kept.
     */
    @Transactional
    public UnmapPlan publishFor(HostKey host, Instant requestedAsOf, String trigger, String compareWithTrigger,
                                boolean inventoryCaughtUp) {
        Instant asOf = io.lifeboat.mapping.lineage.Times.micros(requestedAsOf);
        Optional<UnmapPlan> existing = byTrigger(trigger);
        if (existing.isPresent()) {
            return existing.get();
        }
        UnmapPlan plan = plan(host, asOf, trigger);
        if (compareWithTrigger != null) {
            Optional<UnmapPlan> previous = byTrigger(compareWithTrigger);
            if (previous.isPresent()) {
                plan = new UnmapPlan(plan.planId(), plan.host(), plan.hostName(), plan.sanHostName(), plan.asOf(),
                        plan.generatedAt(), plan.trigger(), plan.basis(), compare(previous.get(), plan,
                        inventoryCaughtUp), plan.entries());
            }
        }
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

    /**
     * The LUNs (by WWID, or LUN id when it is not one) whose SAN decision differs: a LUN is unmapped only when every
     * entry of it says so (two VMs of the host may share it), as in the SVC script.
     */
    static UnmapPlanComparison compare(UnmapPlan previous, UnmapPlan current, boolean inventoryCaughtUp) {
        Map<String, UnmapDecision> before = decisions(previous);
        Map<String, UnmapDecision> after = decisions(current);
        List<String> becameUnmap = new ArrayList<>();
        List<String> becameKept = new ArrayList<>();
        after.forEach((lun, d) -> {
            UnmapDecision was = before.get(lun);
            if (d == UnmapDecision.UNMAP && was != UnmapDecision.UNMAP) {
                becameUnmap.add(lun);
            } else if (d == UnmapDecision.KEEP && was == UnmapDecision.UNMAP) {
                becameKept.add(lun);
            }
        });
        return new UnmapPlanComparison(previous.planId(), previous.trigger(), becameUnmap, becameKept,
                inventoryCaughtUp);
    }

    private static Map<String, UnmapDecision> decisions(UnmapPlan plan) {
        Map<String, UnmapDecision> out = new java.util.TreeMap<>();
        for (UnmapPlanEntry e : plan.entries()) {
            String lun = e.wwid() != null ? e.wwid().toString() : e.lunId();
            out.merge(lun, e.decision(), (a, b) -> a == UnmapDecision.KEEP || b == UnmapDecision.KEEP
                    ? UnmapDecision.KEEP : UnmapDecision.UNMAP);
        }
        return out;
    }

    /** Stored plans of a host, newest first. */
    @Transactional
    public List<UnmapPlan> stored(HostKey host) {
        @SuppressWarnings("unchecked")
        List<String> rows = em.createNativeQuery("select plan from unmap_plan where host_key = ?1 order by"
                + " generated_at desc").setParameter(1, host.toString()).setMaxResults(50).getResultList();
        return rows.stream().map(UnmapPlanner::parse).toList();
    }

    /** The plan a trigger produced, if it did. */
    public Optional<UnmapPlan> byTrigger(String trigger) {
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

    /**
     * The block storage domain each WWID backs: the one it backed as of {@code t}, else one it backs now (a domain
     * created since then needs it too).
     */
    private Map<String, String> storageDomains(Set<String> wwids, Timestamp t, String from, String to) {
        Map<String, String> out = new HashMap<>();
        String atT = "(valid_from " + from + " ? and (valid_to is null or valid_to " + to + " ?))";
        lookup("select lun_wwid, domain_name from storage_domain_lun_interval where lun_wwid = any(?) and (" + atT
                        + " or valid_to is null) order by lun_wwid, " + atT + " desc, domain_name",
                wwids, List.of(t, t, t, t), rs -> out.putIfAbsent(rs.getString(1), rs.getString(2)));
        return out;
    }

    /** Every VM that uses each WWID now (open VM interval and open disk interval). */
    private Map<String, List<UnmapRules.User>> users(Set<String> wwids) {
        Map<String, List<UnmapRules.User>> out = new HashMap<>();
        lookup("""
                select d.lun_wwid, v.vm_key, v.vm_name, v.host_key, v.host_name, v.status
                  from vm_disk_interval d
                  join vm_interval v on v.vm_key = d.vm_key and v.valid_to is null
                 where d.valid_to is null and d.lun_wwid = any(?)
                 order by d.lun_wwid, v.vm_name, v.vm_key""", wwids, List.of(),
                rs -> out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new UnmapRules.User(
                        rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6))));
        return out;
    }

    /** The deletion state of each VM now; a VM without an open interval left the inventory. */
    private Map<String, UnmapRules.OwnVm> ownVms(Set<String> vmKeys) {
        Map<String, UnmapRules.OwnVm> out = new HashMap<>();
        lookup("select vm_key, deletion_state, reclaim_at from vm_interval where vm_key = any(?) and valid_to is null",
                vmKeys, List.of(), rs -> out.put(rs.getString(1), new UnmapRules.OwnVm(rs.getString(2),
                        rs.getTimestamp(3) == null ? null : rs.getTimestamp(3).toInstant())));
        return out;
    }

    private interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    /**
     * One query with the keys as its first parameter (an array), planned with its values at every execution
     * ({@link KeyLookups}): a generic plan made blind to the array scanned the 10 M-row history per plan.
     */
    private void lookup(String sql, Set<String> keys, List<Timestamp> more, RowReader reader) {
        if (keys.isEmpty()) {
            return;
        }
        em.unwrap(Session.class).doWork(c -> {
            try (PreparedStatement ps = KeyLookups.prepare(c, sql)) {
                ps.setArray(1, c.createArrayOf("varchar", keys.toArray()));
                for (int i = 0; i < more.size(); i++) {
                    ps.setTimestamp(i + 2, more.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        reader.read(rs);
                    }
                }
            }
        });
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
