package io.lifeboat.mapping.search;

import io.lifeboat.common.lun.LunWwid;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds VMs by any name they have had, hosts by name, and for a WWID the VMs that used the LUN and the block storage
 * domains it backed. The hits come in sections, in this order, each by its key: the LUN's VMs, the LUN's storage
 * domains, the VMs, the hosts. A page goes on where the last one stopped, section and key, so that a name matched by
 * thousands of VMs is read a page at a time.
 */
@ApplicationScoped
public class InventorySearch {

    /** The sections of the hits, in the order they come. */
    public enum Section { LUN_VMS, LUN_DOMAINS, VMS, HOSTS }

    /**
     * A hit: {@code kind} vm, host or lun; {@code key} the VM's or host's key, or the LUN's WWID; its place is
     * {@code section} and {@code position} (the VM, storage domain or host key).
     */
    public record Hit(Section section, String position, String kind, String key, String name, String detail) {
    }

    /**
     * Where the previous page stopped: its last hit's section and position, or only the position's MD5 ({@code
     * positionMd5}) when it was too long to carry in a cursor; the search finds that hit again.
     */
    public record After(Section section, String position, String positionMd5) {
    }

    @Inject
    EntityManager em;

    /** The hits for {@code term} (at least 2 characters, stripped) after {@code after}, at most {@code limit}. */
    public List<Hit> find(String term, After after, int limit) {
        LunWwid wwid = LunWwid.isValid(term) ? LunWwid.parse(term) : null;
        // LIKE's escape character is the backslash: escaped first, then the wildcards.
        String like = "%" + term.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%")
                .replace("_", "\\_") + "%";
        if (after != null && wwid == null && (after.section() == Section.LUN_VMS
                || after.section() == Section.LUN_DOMAINS)) {
            throw new IllegalArgumentException("query parameter 'after' is a cursor of a search by WWID; this one is by"
                    + " name: repeat the search without it");
        }
        List<Hit> hits = new ArrayList<>();
        for (Section s : Section.values()) {
            if (after != null && s.ordinal() < after.section().ordinal()) {
                continue;
            }
            if (wwid == null && (s == Section.LUN_VMS || s == Section.LUN_DOMAINS)) {
                continue;
            }
            String from = after == null || s != after.section() ? null : position(s, after, wwid, like);
            hits.addAll(section(s, wwid, like, from, limit - hits.size()));
            if (hits.size() >= limit) {
                break;
            }
        }
        return hits;
    }

    private List<Hit> section(Section s, LunWwid wwid, String like, String after, int limit) {
        String next = after == null ? "" : " and %s > ?2";
        return switch (s) {
            case LUN_VMS -> rows("select distinct vm_key from vm_disk_interval where lun_wwid = ?1"
                    + next.formatted("vm_key") + " order by vm_key", wwid.toString(), after, limit).stream()
                    .map(r -> new Hit(s, (String) r[0], "lun", wwid.multipathWwid(), wwid.svcVdiskUid(),
                            "used by VM " + r[0])).toList();
            case LUN_DOMAINS -> rows("select distinct on (domain_key) domain_key, domain_name"
                    + " from storage_domain_lun_interval where lun_wwid = ?1" + next.formatted("domain_key")
                    + " order by domain_key, valid_from desc, id desc", wwid.toString(), after, limit).stream()
                    .map(r -> new Hit(s, (String) r[0], "lun", wwid.multipathWwid(), wwid.svcVdiskUid(),
                            "backs storage domain " + r[1] + " (" + r[0] + ")")).toList();
            // Every name a VM has had is in vm_name (trigram-indexed where pg_trgm exists), once: the 10 M-row history
            // is read only for each hit's latest interval.
            case VMS -> rows("""
                    select m.vm_key, v.vm_name, v.host_name, v.status
                      from (select distinct vm_key from vm_name where lower(vm_name) like ?1%s
                             order by vm_key limit %d) m
                      join lateral (select vm_name, host_name, status from vm_interval i where i.vm_key = m.vm_key
                                     order by valid_from desc, id desc limit 1) v on true
                     order by m.vm_key""".formatted(next.formatted("vm_key"), limit), like, after, limit).stream()
                    .map(r -> new Hit(s, (String) r[0], "vm", (String) r[0], (String) r[1], "last on "
                            + (r[2] == null ? "no host" : r[2]) + ", " + r[3])).toList();
            case HOSTS -> rows("select distinct on (host_key) host_key, host_name, status from host_interval"
                    + " where lower(host_name) like ?1" + next.formatted("host_key")
                    + " order by host_key, valid_from desc, id desc", like, after, limit).stream()
                    .map(r -> new Hit(s, (String) r[0], "host", (String) r[0], (String) r[1], (String) r[2]))
                    .toList();
        };
    }

    /** The full position the cursor named, found again by its MD5 among the section's hits when it had only that. */
    private String position(Section s, After after, LunWwid wwid, String like) {
        if (after.position() != null) {
            return after.position();
        }
        String sql = switch (s) {
            case LUN_VMS -> "select vm_key from vm_disk_interval where lun_wwid = ?1 and md5(vm_key) = ?2";
            case LUN_DOMAINS -> "select domain_key from storage_domain_lun_interval where lun_wwid = ?1"
                    + " and md5(domain_key) = ?2";
            case VMS -> "select vm_key from vm_name where lower(vm_name) like ?1 and md5(vm_key) = ?2";
            case HOSTS -> "select host_key from host_interval where lower(host_name) like ?1 and md5(host_key) = ?2";
        };
        List<Object[]> found = rows(sql, s == Section.LUN_VMS || s == Section.LUN_DOMAINS ? wwid.toString() : like,
                after.positionMd5(), 1);
        if (found.isEmpty()) {
            throw new IllegalArgumentException("query parameter 'after' names no hit of this search; repeat the search"
                    + " without it");
        }
        return (String) found.get(0)[0];
    }

    private List<Object[]> rows(String sql, String first, String second, int limit) {
        var q = em.createNativeQuery(sql).setParameter(1, first);
        if (second != null) {
            q.setParameter(2, second);
        }
        @SuppressWarnings("unchecked")
        List<Object> rows = q.setMaxResults(limit).getResultList();
        return rows.stream().map(r -> r instanceof Object[] a ? a : new Object[] {r}).toList();
    }
}
