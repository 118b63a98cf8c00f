package io.lifeboat.watchdog.incident;

import io.lifeboat.common.incident.IncidentKind;
import io.lifeboat.service.jdbc.KeyLookups;
import io.lifeboat.watchdog.inventory.VmRef;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The incidents and VM refs a batch of raw events needs, read and written with array parameters ({@code = any(?)},
 * {@code unnest}): one statement each, whatever the batch's size, and the same statement text every time, so
 * PostgreSQL plans it once (lists of values expanded into {@code in (...)} made every batch a new statement).
 * The objects are not managed by the ORM: what a batch changes is written back here.
 */
final class IncidentRows {

    private static final String COLUMNS = "id, kind, vm_key, vm_name, host_key, source_id, hypervisor, domain_uuid,"
            + " domain_name, action, first_seen_at, last_seen_at, event_count, detail, version, published_version";

    private IncidentRows() {
    }

    /** The guests' incidents seen since then: by VM key, and by hypervisor with domain UUID or name. */
    static List<Incident> recent(Connection c, Collection<String> vmKeys, Collection<String> hypervisors,
                                 Collection<String> uuids, Collection<String> names, Instant since)
            throws SQLException {
        Map<UUID, Incident> out = new LinkedHashMap<>();
        if (!vmKeys.isEmpty()) {
            select(c, "last_seen_at >= ? and vm_key = any(?)", since, vmKeys, null, out);
        }
        if (!uuids.isEmpty()) {
            select(c, "last_seen_at >= ? and hypervisor = any(?) and domain_uuid = any(?)", since, hypervisors, uuids,
                    out);
        }
        if (!names.isEmpty()) {
            select(c, "last_seen_at >= ? and hypervisor = any(?) and domain_name = any(?)", since, hypervisors, names,
                    out);
        }
        return new ArrayList<>(out.values());
    }

    private static void select(Connection c, String where, Instant since, Collection<String> a, Collection<String> b,
                               Map<UUID, Incident> out) throws SQLException {
        try (PreparedStatement ps = KeyLookups.prepare(c, "select " + COLUMNS + " from incident where " + where)) {
            ps.setTimestamp(1, Timestamp.from(since));
            ps.setArray(2, c.createArrayOf("varchar", a.toArray()));
            if (b != null) {
                ps.setArray(3, c.createArrayOf("varchar", b.toArray()));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Incident i = new Incident();
                    i.id = (UUID) rs.getObject(1);
                    i.kind = IncidentKind.valueOf(rs.getString(2));
                    i.vmKey = rs.getString(3);
                    i.vmName = rs.getString(4);
                    i.hostKey = rs.getString(5);
                    i.sourceId = rs.getString(6);
                    i.hypervisor = rs.getString(7);
                    i.domainUuid = rs.getString(8);
                    i.domainName = rs.getString(9);
                    i.action = rs.getString(10);
                    i.firstSeenAt = rs.getTimestamp(11).toInstant();
                    i.lastSeenAt = rs.getTimestamp(12).toInstant();
                    i.eventCount = rs.getInt(13);
                    i.detail = rs.getString(14);
                    i.version = rs.getInt(15);
                    i.publishedVersion = rs.getInt(16);
                    out.putIfAbsent(i.id, i);
                }
            }
        }
    }

    /** Inserts the new incidents and writes the changed ones back, one statement each. */
    static void write(Connection c, Collection<Incident> created, Collection<Incident> changed) throws SQLException {
        if (!created.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("insert into incident (" + COLUMNS + ") select id::uuid, k,"
                    + " vk, vn, hk, si, hv, du, dn, ac, fs::timestamptz, ls::timestamptz, ec, de, v, pv from unnest("
                    + "?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[],"
                    + " ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[],"
                    + " ?::integer[], ?::text[], ?::integer[], ?::integer[])"
                    + " as u(id, k, vk, vn, hk, si, hv, du, dn, ac, fs, ls, ec, de, v, pv)")) {
                bind(c, ps, created);
                ps.executeUpdate();
            }
        }
        if (!changed.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("update incident i set kind = u.k, vm_key = u.vk,"
                    + " vm_name = u.vn, host_key = u.hk, source_id = u.si, hypervisor = u.hv, domain_uuid = u.du,"
                    + " domain_name = u.dn, action = u.ac, first_seen_at = u.fs::timestamptz,"
                    + " last_seen_at = u.ls::timestamptz, event_count = u.ec, detail = u.de, version = u.v,"
                    + " published_version = u.pv from unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[],"
                    + " ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[],"
                    + " ?::varchar[], ?::varchar[], ?::integer[], ?::text[], ?::integer[], ?::integer[])"
                    + " as u(id, k, vk, vn, hk, si, hv, du, dn, ac, fs, ls, ec, de, v, pv) where i.id = u.id::uuid")) {
                bind(c, ps, changed);
                ps.executeUpdate();
            }
        }
    }

    private static void bind(Connection c, PreparedStatement ps, Collection<Incident> incidents) throws SQLException {
        int n = incidents.size();
        Object[][] cols = new Object[16][n];
        int r = 0;
        for (Incident i : incidents) {
            cols[0][r] = i.id.toString();
            cols[1][r] = i.kind.name();
            cols[2][r] = i.vmKey;
            cols[3][r] = i.vmName;
            cols[4][r] = i.hostKey;
            cols[5][r] = i.sourceId;
            cols[6][r] = i.hypervisor;
            cols[7][r] = i.domainUuid;
            cols[8][r] = i.domainName;
            cols[9][r] = i.action;
            cols[10][r] = i.firstSeenAt.toString();
            cols[11][r] = i.lastSeenAt.toString();
            cols[12][r] = i.eventCount;
            cols[13][r] = i.detail;
            cols[14][r] = i.version;
            cols[15][r] = i.publishedVersion;
            r++;
        }
        for (int col = 0; col < 16; col++) {
            String type = col == 12 || col == 14 || col == 15 ? "integer" : col == 13 ? "text" : "varchar";
            ps.setArray(col + 1, c.createArrayOf(type, cols[col]));
        }
    }

    /** The VMs not removed whose id or domain name is one of these. */
    static List<VmRef> refs(Connection c, Collection<String> lowerIds, Collection<String> names) throws SQLException {
        List<VmRef> out = new ArrayList<>();
        try (PreparedStatement ps = KeyLookups.prepare(c, "select vm_key, source_id, vm_id, name, domain_name, host_key,"
                + " host_name from vm_ref where not removed and (lower(vm_id) = any(?) or domain_name = any(?))")) {
            ps.setArray(1, c.createArrayOf("varchar", lowerIds.toArray()));
            ps.setArray(2, c.createArrayOf("varchar", names.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    VmRef v = new VmRef();
                    v.vmKey = rs.getString(1);
                    v.sourceId = rs.getString(2);
                    v.vmId = rs.getString(3);
                    v.name = rs.getString(4);
                    v.domainName = rs.getString(5);
                    v.hostKey = rs.getString(6);
                    v.hostName = rs.getString(7);
                    out.add(v);
                }
            }
        }
        return out;
    }
}
