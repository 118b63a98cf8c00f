package io.lifeboat.mapping.lineage;

import io.lifeboat.common.id.VmKey;
import io.lifeboat.common.inventory.VmDisk;
import io.lifeboat.common.inventory.VmState;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;
import org.hibernate.Session;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps each VM's placement and attributes, and its disks and LUNs, as time intervals: the record that answers
 * "what was on host X just before T" after the cloud has forgotten (DESIGN.md, problem 1). A batch of states and
 * removals is applied set-based: the open intervals of every VM in it are read in one query (and locked), the batch
 * is played in order in memory, and what changed is written back in a few batched statements. Replaying the topics
 * rebuilds the same intervals.
 */
@ApplicationScoped
public class VmHistory {

    @Inject
    EntityManager em;

    @Inject
    MeterRegistry metrics;

    public enum Outcome { OPENED, EXTENDED, CHANGED, STALE, REMOVED }

    /** One thing that happened to a VM, in topic order. */
    public sealed interface Change permits Observed, Removed {
        VmKey vm();
    }

    /** A state of the VM, from the event {@code eventId}. */
    public record Observed(VmState state, String eventId) implements Change {
        @Override
        public VmKey vm() {
            return state.vm();
        }
    }

    /** The VM left the inventory (a tombstone on its key). */
    public record Removed(VmKey vm, Instant at) implements Change {
    }

    /** Applies the changes in order, inside the caller's transaction; returns how many had each outcome. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Map<Outcome, Integer> apply(List<Change> changes) {
        Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
        if (changes.isEmpty()) {
            return outcomes;
        }
        Set<String> keys = new LinkedHashSet<>();
        changes.forEach(c -> keys.add(c.vm().toString()));
        em.unwrap(Session.class).doWork(c -> {
            HistoryRows.Open open = HistoryRows.loadOpen(c, keys);
            Play play = new Play(open);
            for (Change change : changes) {
                Outcome o = change instanceof Observed obs ? play.observed(obs) : play.removed((Removed) change);
                outcomes.merge(o, 1, Integer::sum);
            }
            play.write(c);
        });
        outcomes.forEach((o, n) -> metrics.counter("lifeboat.mapping.vm.observations", "outcome",
                o.name().toLowerCase()).increment(n));
        return outcomes;
    }

    /** One VM observed (for callers outside a batch, e.g. tests and tools). */
    @Transactional(Transactional.TxType.MANDATORY)
    public Outcome apply(VmState state, String eventId) {
        return apply(List.of(new Observed(state, eventId))).keySet().iterator().next();
    }

    /**
     * A VM's placement intervals after {@code after} (null: from the newest), newest first (start, then id,
     * descending), at most {@code limit}: a keyset read down {@code vm_interval_vm_time}.
     */
    public List<VmInterval> placements(VmKey vm, IntervalKey after, int limit) {
        TypedQuery<VmInterval> q = em.createQuery("from VmInterval where vmKey = ?1"
                + (after == null ? "" : " and validFrom <= ?2 and (validFrom < ?2 or id < ?3)")
                + " order by validFrom desc, id desc", VmInterval.class).setParameter(1, vm.toString());
        if (after != null) {
            q.setParameter(2, after.validFrom()).setParameter(3, after.id());
        }
        return q.setMaxResults(limit).getResultList();
    }

    /** Whether Lifeboat holds any placement of the VM. */
    public boolean hasHistory(VmKey vm) {
        return !em.createQuery("select id from VmInterval where vmKey = ?1", Long.class)
                .setParameter(1, vm.toString()).setMaxResults(1).getResultList().isEmpty();
    }

    /**
     * A place in a VM's disk intervals: the last one read, by start, disk id and id. The disk id is null when only
     * its MD5 came back ({@code diskIdMd5}, a disk id too long to carry in a cursor): it is read again by the id.
     */
    public record DiskKey(Instant validFrom, String diskId, String diskIdMd5, long id) {
    }

    /**
     * A VM's disk intervals after {@code after} (null: from the newest), newest first, then by disk id and id
     * (ascending), at most {@code limit}: a keyset read down {@code vm_disk_interval_vm_time}.
     */
    public List<VmDiskInterval> disks(VmKey vm, DiskKey after, int limit) {
        TypedQuery<VmDiskInterval> q = em.createQuery("from VmDiskInterval where vmKey = ?1"
                + (after == null ? "" : " and validFrom <= ?2 and (validFrom < ?2 or diskId > ?3"
                        + " or (diskId = ?3 and id > ?4))")
                + " order by validFrom desc, diskId, id", VmDiskInterval.class).setParameter(1, vm.toString());
        if (after != null) {
            q.setParameter(2, after.validFrom()).setParameter(3, diskId(vm, after)).setParameter(4, after.id());
        }
        return q.setMaxResults(limit).getResultList();
    }

    /** The cursor's disk id, read again from the interval it named when the cursor carried only its MD5. */
    private String diskId(VmKey vm, DiskKey after) {
        if (after.diskId() != null) {
            return after.diskId();
        }
        List<?> found = em.createNativeQuery("select disk_id from vm_disk_interval where id = ?1 and vm_key = ?2"
                        + " and md5(disk_id) = ?3").setParameter(1, after.id()).setParameter(2, vm.toString())
                .setParameter(3, after.diskIdMd5()).getResultList();
        if (found.isEmpty()) {
            throw new IllegalArgumentException("query parameter 'after' names a disk interval of the VM that does not"
                    + " exist; leave it out for the first page");
        }
        return (String) found.get(0);
    }

    /** The batch played in memory over the open intervals it read. */
    private static final class Play {
        private final Map<String, HistoryRows.VmRow> openVm;
        private final Map<String, Map<String, HistoryRows.DiskRow>> openDisks;
        private final Set<HistoryRows.VmRow> vmUpdates = new LinkedHashSet<>();
        private final List<HistoryRows.VmRow> vmInserts = new ArrayList<>();
        private final Set<HistoryRows.DiskRow> diskUpdates = new LinkedHashSet<>();
        private final List<HistoryRows.DiskRow> diskInserts = new ArrayList<>();
        /** Names of VMs seen for the first time (or again after their removal) or renamed: the search's index. */
        private final List<HistoryRows.VmRow> names = new ArrayList<>();

        Play(HistoryRows.Open open) {
            this.openVm = open.vms();
            this.openDisks = open.disks();
        }

        Outcome observed(Observed o) {
            VmState s = Times.micros(o.state());
            String key = s.vm().toString();
            Instant t = s.observedAt();
            HistoryRows.VmRow current = openVm.get(key);
            if (current != null && t.isBefore(current.validFrom)) {
                return Outcome.STALE;   // older than what we hold: history already moved past it
            }
            Instant previouslySeen = current == null ? null : current.lastSeenAt;
            Outcome outcome;
            if (current == null) {
                HistoryRows.VmRow row = HistoryRows.VmRow.of(s, o.eventId());
                open(row);
                names.add(row);
                outcome = Outcome.OPENED;
            } else if (current.sameAs(s)) {
                if (t.isAfter(current.lastSeenAt)) {
                    current.lastSeenAt = t;
                    touched(current);
                }
                outcome = Outcome.EXTENDED;
            } else {
                current.validTo = t;
                touched(current);
                HistoryRows.VmRow row = HistoryRows.VmRow.of(s, o.eventId());
                open(row);
                if (!current.vmName.equals(row.vmName)) {
                    names.add(row);
                }
                outcome = Outcome.CHANGED;
            }
            disks(s, o.eventId(), previouslySeen);
            return outcome;
        }

        /**
         * An open disk interval is not written while its disk stays the same: every observation of a VM lists all its
         * disks, so an open disk interval was last seen when its VM was. Its {@code last_seen_at} is brought up to
         * that when it closes ({@code previouslySeen}: the VM's last observation before this one). This spares three
         * row updates per observation of a VM with three disks, which were most of the writes of an ingestion.
         */
        private void disks(VmState s, String eventId, Instant previouslySeen) {
            String key = s.vm().toString();
            Instant t = s.observedAt();
            Map<String, HistoryRows.DiskRow> before = openDisks.getOrDefault(key, Map.of());
            Map<String, HistoryRows.DiskRow> after = new LinkedHashMap<>();
            Map<String, HistoryRows.DiskRow> left = new HashMap<>(before);
            for (VmDisk d : s.disks()) {
                if (after.containsKey(d.id())) {
                    continue;   // a disk listed twice: one interval, not two open ones for the same disk
                }
                HistoryRows.DiskRow current = left.remove(d.id());
                if (current != null && current.sameAs(d)) {
                    after.put(d.id(), current);
                    continue;
                }
                if (current != null) {
                    close(current, t, previouslySeen);
                }
                HistoryRows.DiskRow fresh = HistoryRows.DiskRow.of(s, d, eventId);
                diskInserts.add(fresh);
                after.put(d.id(), fresh);
            }
            for (HistoryRows.DiskRow gone : left.values()) {
                close(gone, t, previouslySeen);
            }
            openDisks.put(key, after);
        }

        Outcome removed(Removed r) {
            Instant at = Times.micros(r.at());
            String key = r.vm().toString();
            HistoryRows.VmRow current = openVm.remove(key);
            Instant lastSeen = current == null ? null : current.lastSeenAt;
            if (current != null) {
                current.closeAt(at);
                touched(current);
            }
            Map<String, HistoryRows.DiskRow> disks = openDisks.remove(key);
            if (disks != null) {
                for (HistoryRows.DiskRow d : disks.values()) {
                    d.seenUntil(lastSeen);
                    d.closeAt(at);
                    touched(d);
                }
            }
            return Outcome.REMOVED;
        }

        private void close(HistoryRows.DiskRow row, Instant at, Instant previouslySeen) {
            row.seenUntil(previouslySeen);
            row.validTo = at;
            touched(row);
        }

        private void open(HistoryRows.VmRow row) {
            vmInserts.add(row);
            openVm.put(row.vmKey, row);
        }

        private void touched(HistoryRows.VmRow row) {
            if (row.id != null) {
                vmUpdates.add(row);
            }
        }

        private void touched(HistoryRows.DiskRow row) {
            if (row.id != null) {
                diskUpdates.add(row);
            }
        }

        /** Closing before opening: at most one open interval per VM and per disk holds at every statement. */
        void write(Connection c) throws SQLException {
            HistoryRows.updateVms(c, vmUpdates);
            HistoryRows.insertVms(c, vmInserts);
            HistoryRows.updateDisks(c, diskUpdates);
            HistoryRows.insertDisks(c, diskInserts);
            HistoryRows.insertNames(c, names);
        }
    }
}
