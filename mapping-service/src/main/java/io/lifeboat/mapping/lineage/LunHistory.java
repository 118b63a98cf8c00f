package io.lifeboat.mapping.lineage;

import io.lifeboat.common.lun.LunWwid;
import io.lifeboat.service.jdbc.Instants;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a LUN lived: which VM had it, through which disk, on which host, and which block storage domains it backed,
 * and when; newest first. Read through the WWID indexes, so a page costs the LUN's own history, never the table's.
 */
@ApplicationScoped
public class LunHistory {

    /**
     * One stay of the LUN: on a VM's disk on a host ({@code storageDomain} null), or behind a block storage domain
     * (only {@code storageDomain}, "name (key)", set).
     */
    public record Use(String vmKey, String vmName, String diskId, String hostKey, String hostName,
                      String storageDomain, Instant since, Instant until, Key key) {
    }

    /**
     * A stay's place in the listing: newest first; at the same start a VM's disk before a storage domain
     * ({@code kind} 0, 1); then by the ids of the rows it starts with (disk and VM interval; storage-domain interval
     * and 0), descending, which no two stays share.
     */
    public record Key(Instant since, int kind, long first, long second) {
    }

    /**
     * A VM's disk on a host over time: the disk's intervals with the LUN joined with the VM's placement intervals.
     * The VM's attribute changes (status, IPs...) split a stay on a host into intervals that follow each other
     * without a gap; a stay is the run of them with the same VM, disk and host, shown with the names it began with.
     */
    private static final String STAYS_AND_DOMAINS = """
            with lun_use as (
                select d.id as disk_row, v.id as vm_row, d.vm_key, v.vm_name, d.disk_id, v.host_key, v.host_name,
                       greatest(d.valid_from, v.valid_from) as since,
                       case when d.valid_to is null then v.valid_to when v.valid_to is null then d.valid_to
                            else least(d.valid_to, v.valid_to) end as until
                  from vm_disk_interval d
                  join vm_interval v on v.vm_key = d.vm_key
                   and v.valid_from < coalesce(d.valid_to, 'infinity'::timestamptz)
                   and coalesce(v.valid_to, 'infinity'::timestamptz) > d.valid_from
                 where d.lun_wwid = ?1
            ), starts as (
                select *, case when lag(until) over stay_order = since then 0 else 1 end as starts
                  from lun_use
                window stay_order as (partition by vm_key, disk_id, host_key order by since, disk_row, vm_row)
            ), stays as (
                select *, sum(starts) over (partition by vm_key, disk_id, host_key
                                            order by since, disk_row, vm_row) as stay
                  from starts
            ), listing as (
                select 0 as kind, min(since) as since,
                       (array_agg(until order by since desc, disk_row desc, vm_row desc))[1] as until,
                       vm_key, disk_id, host_key,
                       (array_agg(vm_name order by since, disk_row, vm_row))[1] as vm_name,
                       (array_agg(host_name order by since, disk_row, vm_row))[1] as host_name,
                       null as storage_domain,
                       (array_agg(disk_row order by since, disk_row, vm_row))[1] as first_key,
                       (array_agg(vm_row order by since, disk_row, vm_row))[1] as second_key
                  from stays
                 group by vm_key, disk_id, host_key, stay
                union all
                select 1, valid_from, valid_to, null, null, null, null, null,
                       domain_name || ' (' || domain_key || ')', id, 0
                  from storage_domain_lun_interval
                 where lun_wwid = ?1
            )
            select kind, since, until, vm_key, vm_name, disk_id, host_key, host_name, storage_domain, first_key,
                   second_key
              from listing
            """;
    private static final String AFTER = """
             where since <= ?2 and (since < ?2 or kind > ?3
                   or (kind = ?3 and (first_key < ?4 or (first_key = ?4 and second_key < ?5))))
            """;
    private static final String ORDER = " order by since desc, kind, first_key desc, second_key desc";

    @Inject
    EntityManager em;

    /** The LUN's stays after {@code after} (null: from the newest), at most {@code limit}. */
    public List<Use> uses(LunWwid wwid, Key after, int limit) {
        var q = em.createNativeQuery(STAYS_AND_DOMAINS + (after == null ? "" : AFTER) + ORDER)
                .setParameter(1, wwid.toString());
        if (after != null) {
            q.setParameter(2, after.since().atOffset(ZoneOffset.UTC)).setParameter(3, after.kind())
                    .setParameter(4, after.first()).setParameter(5, after.second());
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = q.setMaxResults(limit).getResultList();
        List<Use> uses = new ArrayList<>();
        for (Object[] r : rows) {
            Instant since = Instants.of(r[1]);
            uses.add(new Use((String) r[3], (String) r[4], (String) r[5], (String) r[6], (String) r[7],
                    (String) r[8], since, r[2] == null ? null : Instants.of(r[2]),
                    new Key(since, ((Number) r[0]).intValue(), ((Number) r[9]).longValue(),
                            ((Number) r[10]).longValue())));
        }
        return uses;
    }
}
