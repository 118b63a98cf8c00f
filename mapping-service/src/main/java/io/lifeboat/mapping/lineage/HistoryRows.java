package io.lifeboat.mapping.lineage;

import io.lifeboat.common.inventory.VmDisk;
import io.lifeboat.common.inventory.VmState;
import io.lifeboat.service.jdbc.CopyRows;
import io.lifeboat.service.jdbc.Instants;
import io.lifeboat.service.jdbc.KeyLookups;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The VM and disk interval rows as {@link VmHistory} plays a batch on them: read in one query per table, written in
 * a few statements: new intervals with {@code COPY}, closes and extensions with one {@code update ... from unnest}.
 */
final class HistoryRows {

    private HistoryRows() {
    }

    /** The open intervals of the batch's VMs, keyed by VM key (and disk id). */
    record Open(Map<String, VmRow> vms, Map<String, Map<String, DiskRow>> disks) {
    }

    static final class VmRow {
        Long id;
        String vmKey;
        String sourceId;
        String vmName;
        String hostKey;
        String hostName;
        String clusterId;
        String clusterName;
        String status;
        String platformStatus;
        String statusDetail;
        String deletionState;
        Instant reclaimAt;
        String ipAddresses;
        Integer vcpus;
        String cpuTopology;
        Long memoryBytes;
        Instant validFrom;
        Instant validTo;
        Instant lastSeenAt;
        String eventId;

        static VmRow of(VmState s, String eventId) {
            VmRow r = new VmRow();
            r.vmKey = s.vm().toString();
            r.sourceId = s.vm().source().value();
            r.vmName = s.name();
            r.hostKey = s.host() == null ? null : s.host().key().toString();
            r.hostName = s.host() == null ? null : s.host().name();
            r.clusterId = s.cluster() == null ? null : s.cluster().id();
            r.clusterName = s.cluster() == null ? null : s.cluster().name();
            r.status = s.status().name();
            r.platformStatus = s.platformStatus();
            r.statusDetail = s.statusDetail();
            r.deletionState = s.deletion().state().name();
            r.reclaimAt = s.deletion().reclaimAt();
            r.ipAddresses = ips(s);
            r.vcpus = s.cpu() == null ? null : s.cpu().vcpus();
            r.cpuTopology = topology(s);
            r.memoryBytes = s.memoryBytes();
            r.validFrom = s.observedAt();
            r.lastSeenAt = s.observedAt();
            r.eventId = eventId;
            return r;
        }

        /** The same placement and attributes: the observation extends this interval. */
        boolean sameAs(VmState s) {
            return vmName.equals(s.name())
                    && Objects.equals(hostKey, s.host() == null ? null : s.host().key().toString())
                    && Objects.equals(clusterId, s.cluster() == null ? null : s.cluster().id())
                    && status.equals(s.status().name())
                    && platformStatus.equals(s.platformStatus())
                    && Objects.equals(statusDetail, s.statusDetail())
                    && deletionState.equals(s.deletion().state().name())
                    && Objects.equals(reclaimAt, s.deletion().reclaimAt())
                    && Objects.equals(ipAddresses, ips(s))
                    && Objects.equals(cpuTopology, topology(s))
                    && Objects.equals(memoryBytes, s.memoryBytes());
        }

        /** Closes at {@code at}, or at the start if {@code at} is earlier (a late tombstone never inverts it). */
        void closeAt(Instant at) {
            validTo = at.isBefore(validFrom) ? validFrom : at;
        }
    }

    static final class DiskRow {
        Long id;
        String vmKey;
        String sourceId;
        String diskId;
        String diskName;
        Long sizeBytes;
        String iface;
        String storageType;
        String storageDomain;
        boolean bootable;
        String lunId;
        String lunWwid;
        String lunVendor;
        String lunProduct;
        String lunSerial;
        Instant validFrom;
        Instant validTo;
        Instant lastSeenAt;
        String eventId;

        static DiskRow of(VmState s, VmDisk d, String eventId) {
            DiskRow r = new DiskRow();
            r.vmKey = s.vm().toString();
            r.sourceId = s.vm().source().value();
            r.diskId = d.id();
            r.diskName = d.name();
            r.sizeBytes = d.sizeBytes();
            r.iface = d.iface();
            r.storageType = d.storageType().name();
            r.storageDomain = d.storageDomain();
            r.bootable = d.bootable();
            if (d.lun() != null) {
                r.lunId = d.lun().id();
                r.lunWwid = d.lun().wwid() == null ? null : d.lun().wwid().toString();
                r.lunVendor = d.lun().vendor();
                r.lunProduct = d.lun().product();
                r.lunSerial = d.lun().serial();
            }
            r.validFrom = s.observedAt();
            r.lastSeenAt = s.observedAt();
            r.eventId = eventId;
            return r;
        }

        boolean sameAs(VmDisk d) {
            return Objects.equals(lunId, d.lun() == null ? null : d.lun().id())
                    && storageType.equals(d.storageType().name())
                    && Objects.equals(sizeBytes, d.sizeBytes())
                    && Objects.equals(diskName, d.name())
                    && Objects.equals(iface, d.iface())
                    && Objects.equals(storageDomain, d.storageDomain());
        }

        void closeAt(Instant at) {
            validTo = at.isBefore(validFrom) ? validFrom : at;
        }

        /** Seen at least until {@code t} (its VM's last observation while it was open), if that is later. */
        void seenUntil(Instant t) {
            if (t != null && t.isAfter(lastSeenAt)) {
                lastSeenAt = t;
            }
        }
    }

    static Open loadOpen(Connection c, Set<String> vmKeys) throws SQLException {
        Map<String, VmRow> vms = new HashMap<>();
        Map<String, Map<String, DiskRow>> disks = new HashMap<>();
        Object[] keys = vmKeys.toArray();
        try (PreparedStatement ps = KeyLookups.prepare(c, "select id, vm_key, vm_name, host_key, cluster_id, status,"
                + " platform_status, status_detail, deletion_state, reclaim_at, ip_addresses, cpu_topology,"
                + " memory_bytes, valid_from, last_seen_at from vm_interval where vm_key = any(?) and valid_to is null"
                + " for update")) {
            ps.setArray(1, c.createArrayOf("varchar", keys));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    VmRow r = new VmRow();
                    r.id = rs.getLong(1);
                    r.vmKey = rs.getString(2);
                    r.vmName = rs.getString(3);
                    r.hostKey = rs.getString(4);
                    r.clusterId = rs.getString(5);
                    r.status = rs.getString(6);
                    r.platformStatus = rs.getString(7);
                    r.statusDetail = rs.getString(8);
                    r.deletionState = rs.getString(9);
                    r.reclaimAt = Instants.read(rs, 10);
                    r.ipAddresses = rs.getString(11);
                    r.cpuTopology = rs.getString(12);
                    long mem = rs.getLong(13);
                    r.memoryBytes = rs.wasNull() ? null : mem;
                    r.validFrom = Instants.read(rs, 14);
                    r.lastSeenAt = Instants.read(rs, 15);
                    vms.put(r.vmKey, r);
                }
            }
        }
        try (PreparedStatement ps = KeyLookups.prepare(c, "select id, vm_key, disk_id, lun_id, storage_type, size_bytes,"
                + " disk_name, iface, storage_domain, valid_from, last_seen_at from vm_disk_interval where"
                + " vm_key = any(?) and valid_to is null")) {
            // Not locked: a VM's disk rows are written only by whoever holds its open VM row's lock (taken just
            // above); this statement's snapshot is taken after that lock is granted, so it sees the holder's commit.
            // A VM without an open row has no open disk rows, and two batches opening it collide on vm_interval_open.
            ps.setArray(1, c.createArrayOf("varchar", keys));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    DiskRow r = new DiskRow();
                    r.id = rs.getLong(1);
                    r.vmKey = rs.getString(2);
                    r.diskId = rs.getString(3);
                    r.lunId = rs.getString(4);
                    r.storageType = rs.getString(5);
                    long size = rs.getLong(6);
                    r.sizeBytes = rs.wasNull() ? null : size;
                    r.diskName = rs.getString(7);
                    r.iface = rs.getString(8);
                    r.storageDomain = rs.getString(9);
                    r.validFrom = Instants.read(rs, 10);
                    r.lastSeenAt = Instants.read(rs, 11);
                    disks.computeIfAbsent(r.vmKey, k -> new LinkedHashMap<>()).put(r.diskId, r);
                }
            }
        }
        return new Open(vms, disks);
    }

    /** Closes and extends the batch's VM intervals in one statement. */
    static void updateVms(Connection c, Collection<VmRow> rows) throws SQLException {
        update(c, "vm_interval", rows.stream().map(r -> new Object[] {r.id, r.validTo, r.lastSeenAt}).toList());
    }

    /** Closes and extends the batch's disk intervals in one statement. */
    static void updateDisks(Connection c, Collection<DiskRow> rows) throws SQLException {
        update(c, "vm_disk_interval", rows.stream().map(r -> new Object[] {r.id, r.validTo, r.lastSeenAt}).toList());
    }

    /** [id, validTo, lastSeenAt] rows → one {@code update ... from unnest(...)}. */
    private static void update(Connection c, String table, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        Object[] ids = new Object[rows.size()];
        Object[] validTo = new Object[rows.size()];
        Object[] lastSeen = new Object[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            ids[i] = rows.get(i)[0];
            validTo[i] = rows.get(i)[1] == null ? null : rows.get(i)[1].toString();
            lastSeen[i] = rows.get(i)[2].toString();
        }
        try (PreparedStatement ps = c.prepareStatement("update " + table + " t set valid_to = u.vt::timestamptz,"
                + " last_seen_at = u.ls::timestamptz from unnest(?::bigint[], ?::varchar[], ?::varchar[])"
                + " as u(id, vt, ls) where t.id = u.id")) {
            ps.setArray(1, c.createArrayOf("bigint", ids));
            ps.setArray(2, c.createArrayOf("varchar", validTo));
            ps.setArray(3, c.createArrayOf("varchar", lastSeen));
            ps.executeUpdate();
        }
    }

    static void insertVms(Connection c, List<VmRow> rows) throws SQLException {
        CopyRows copy = new CopyRows();
        for (VmRow r : rows) {
            copy.value(r.vmKey).value(r.sourceId).value(r.vmName).value(r.hostKey).value(r.hostName)
                    .value(r.clusterId).value(r.clusterName).value(r.status).value(r.platformStatus)
                    .value(r.statusDetail).value(r.deletionState).value(r.reclaimAt).value(r.ipAddresses)
                    .value(r.vcpus).value(r.cpuTopology).value(r.memoryBytes).value(r.validFrom).value(r.validTo)
                    .value(r.lastSeenAt).value(r.eventId).endRow();
        }
        copy.into(c, "vm_interval (vm_key, source_id, vm_name, host_key, host_name, cluster_id, cluster_name, status,"
                + " platform_status, status_detail, deletion_state, reclaim_at, ip_addresses, vcpus, cpu_topology,"
                + " memory_bytes, valid_from, valid_to, last_seen_at, event_id)");
    }

    static void insertDisks(Connection c, List<DiskRow> rows) throws SQLException {
        CopyRows copy = new CopyRows();
        for (DiskRow r : rows) {
            copy.value(r.vmKey).value(r.sourceId).value(r.diskId).value(r.diskName).value(r.sizeBytes).value(r.iface)
                    .value(r.storageType).value(r.storageDomain).value(r.bootable).value(r.lunId).value(r.lunWwid)
                    .value(r.lunVendor).value(r.lunProduct).value(r.lunSerial).value(r.validFrom).value(r.validTo)
                    .value(r.lastSeenAt).value(r.eventId).endRow();
        }
        copy.into(c, "vm_disk_interval (vm_key, source_id, disk_id, disk_name, size_bytes, iface, storage_type,"
                + " storage_domain, bootable, lun_id, lun_wwid, lun_vendor, lun_product, lun_serial, valid_from,"
                + " valid_to, last_seen_at, event_id)");
    }

    /** Each VM name not yet recorded for its VM, with when it was first seen (one statement; known ones ignored). */
    static void insertNames(Connection c, List<VmRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        Object[] keys = new Object[rows.size()];
        Object[] names = new Object[rows.size()];
        Object[] seen = new Object[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            keys[i] = rows.get(i).vmKey;
            names[i] = rows.get(i).vmName;
            seen[i] = rows.get(i).validFrom.toString();
        }
        try (PreparedStatement ps = c.prepareStatement("insert into vm_name (vm_key, vm_name, first_seen_at)"
                + " select k, n, min(t::timestamptz) from unnest(?::varchar[], ?::varchar[], ?::varchar[]) as u(k, n, t)"
                + " group by k, n on conflict do nothing")) {
            ps.setArray(1, c.createArrayOf("varchar", keys));
            ps.setArray(2, c.createArrayOf("varchar", names));
            ps.setArray(3, c.createArrayOf("varchar", seen));
            ps.executeUpdate();
        }
    }

    static String ips(VmState s) {
        String joined = String.join(" ", s.ipAddresses());
        return joined.length() > 2000 ? joined.substring(0, 2000) : joined;
    }

    static String topology(VmState s) {
        return s.cpu() == null ? null : s.cpu().sockets() + "x" + s.cpu().cores() + "x" + s.cpu().threads();
    }
}
