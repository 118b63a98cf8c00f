package io.lifeboat.watchdog.incident;

import io.lifeboat.common.libvirt.LibvirtRawEvent;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The {@code raw_event} table, a batch at a time: one statement stores a batch (the same event twice, by id or by
 * content, is taken once) and one links the stored events to their incidents.
 */
final class RawEventStore {

    private RawEventStore() {
    }

    /** Stores the events; returns the ids that were new. */
    static Set<String> store(Connection c, List<RawEvent> events, Instant receivedAt) throws SQLException {
        Set<String> stored = new HashSet<>();
        if (events.isEmpty()) {
            return stored;
        }
        int n = events.size();
        String[][] cols = new String[16][n];
        for (int i = 0; i < n; i++) {
            LibvirtRawEvent e = events.get(i).event();
            cols[0][i] = events.get(i).id();
            cols[1][i] = e.hypervisor();
            cols[2][i] = e.host() == null ? null : e.host().toString();
            cols[3][i] = e.domainUuid() == null ? null : e.domainUuid().toLowerCase();
            cols[4][i] = e.domainName();
            cols[5][i] = e.kind().name();
            cols[6][i] = e.lifecycleType();
            cols[7][i] = e.lifecycleDetail();
            cols[8][i] = e.watchdogAction();
            cols[9][i] = e.ioError() == null ? null : e.ioError().srcPath();
            cols[10][i] = e.ioError() == null ? null : e.ioError().devAlias();
            cols[11][i] = e.ioError() == null ? null : e.ioError().action();
            cols[12][i] = e.ioError() == null ? null : e.ioError().reason();
            cols[13][i] = e.occurredAt().toString();
            cols[14][i] = e.via().name();
            cols[15][i] = e.rawLine();
        }
        try (PreparedStatement ps = c.prepareStatement("""
                insert into raw_event (id, hypervisor, host_key, domain_uuid, domain_name, kind, lifecycle_type,
                    lifecycle_detail, watchdog_action, io_src_path, io_dev_alias, io_action, io_reason, occurred_at,
                    via, raw_line, received_at)
                select id, hv, hk, du, dn, k, lt, ld, wa, isp, ida, ia, ir, oa::timestamptz, via, rl, ?
                  from unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[],
                              ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[],
                              ?::varchar[], ?::varchar[], ?::varchar[], ?::text[])
                       as u(id, hv, hk, du, dn, k, lt, ld, wa, isp, ida, ia, ir, oa, via, rl)
                on conflict do nothing
                returning id""")) {
            ps.setTimestamp(1, java.sql.Timestamp.from(receivedAt));
            for (int col = 0; col < 16; col++) {
                ps.setArray(col + 2, c.createArrayOf(col == 15 ? "text" : "varchar", cols[col]));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    stored.add(rs.getString(1));
                }
            }
        }
        return stored;
    }

    /** Links each stored event to the incident it started or joined. */
    static void link(Connection c, Map<String, UUID> incidentOf) throws SQLException {
        if (incidentOf.isEmpty()) {
            return;
        }
        List<String> ids = new ArrayList<>(incidentOf.keySet());
        List<String> incidents = ids.stream().map(id -> incidentOf.get(id).toString()).toList();
        try (PreparedStatement ps = c.prepareStatement("update raw_event r set incident_id = u.i::uuid from"
                + " unnest(?::varchar[], ?::varchar[]) as u(id, i) where r.id = u.id")) {
            ps.setArray(1, c.createArrayOf("varchar", ids.toArray()));
            ps.setArray(2, c.createArrayOf("varchar", incidents.toArray()));
            ps.executeUpdate();
        }
    }

    /** The first 100 raw event ids of each incident, oldest first. */
    static Map<UUID, List<String>> rawIds(Connection c, Set<UUID> incidents) throws SQLException {
        Map<UUID, List<String>> out = new java.util.HashMap<>();
        if (incidents.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("select incident_id, id from (select incident_id, id,"
                + " row_number() over (partition by incident_id order by occurred_at, id) as n from raw_event"
                + " where incident_id = any(?::uuid[])) x where n <= 100 order by incident_id, n")) {
            ps.setArray(1, c.createArrayOf("varchar", incidents.stream().map(UUID::toString).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(UUID.fromString(rs.getString(1)), k -> new ArrayList<>()).add(rs.getString(2));
                }
            }
        }
        return out;
    }
}
