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
 * The {@code raw_event} table, a batch at a time: one lookup finds which events of a batch are stored already (the
 * same event twice, by id or by content, is taken once), one statement stores the new ones with their incidents.
 */
final class RawEventStore {

    private RawEventStore() {
    }

    /** What makes two raw events the same event (the unique index {@code raw_event_same}). */
    static String sameKey(LibvirtRawEvent e) {
        return String.join("\u0001", e.hypervisor(), nz(e.domainUuid() == null ? null : e.domainUuid().toLowerCase()),
                nz(e.domainName()), e.kind().name(), nz(e.lifecycleType()), nz(e.lifecycleDetail()),
                nz(e.watchdogAction()), nz(e.ioError() == null ? null : e.ioError().reason()),
                nz(e.ioError() == null ? null : e.ioError().devAlias()), e.occurredAt().toString());
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    /**
     * The events of the batch already stored, by id (a redelivery) or by content (the same event sent twice, by an
     * agent and a pipe): one indexed lookup for the batch.
     */
    static Set<String> existing(Connection c, List<RawEvent> events) throws SQLException {
        Set<String> found = new HashSet<>();
        if (events.isEmpty()) {
            return found;
        }
        int n = events.size();
        String[][] cols = new String[11][n];
        for (int i = 0; i < n; i++) {
            LibvirtRawEvent e = events.get(i).event();
            cols[0][i] = events.get(i).id();
            cols[1][i] = e.hypervisor();
            cols[2][i] = e.domainUuid() == null ? null : e.domainUuid().toLowerCase();
            cols[3][i] = e.domainName();
            cols[4][i] = e.kind().name();
            cols[5][i] = e.lifecycleType();
            cols[6][i] = e.lifecycleDetail();
            cols[7][i] = e.watchdogAction();
            cols[8][i] = e.ioError() == null ? null : e.ioError().reason();
            cols[9][i] = e.ioError() == null ? null : e.ioError().devAlias();
            cols[10][i] = e.occurredAt().toString();
        }
        try (PreparedStatement ps = c.prepareStatement("""
                select u.id from unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[],
                                        ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[],
                                        ?::varchar[]) as u(id, hv, du, dn, k, lt, ld, wa, ir, ida, oa)
                 where exists (select 1 from raw_event r where r.id = u.id)
                    or exists (select 1 from raw_event r where r.hypervisor = u.hv
                                 and coalesce(r.domain_uuid, '') = coalesce(u.du, '')
                                 and coalesce(r.domain_name, '') = coalesce(u.dn, '') and r.kind = u.k
                                 and coalesce(r.lifecycle_type, '') = coalesce(u.lt, '')
                                 and coalesce(r.lifecycle_detail, '') = coalesce(u.ld, '')
                                 and coalesce(r.watchdog_action, '') = coalesce(u.wa, '')
                                 and coalesce(r.io_reason, '') = coalesce(u.ir, '')
                                 and coalesce(r.io_dev_alias, '') = coalesce(u.ida, '')
                                 and r.occurred_at = u.oa::timestamptz)""")) {
            for (int col = 0; col < 11; col++) {
                ps.setArray(col + 1, c.createArrayOf("varchar", cols[col]));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getString(1));
                }
            }
        }
        return found;
    }

    /** Stores new events, each with the incident it started or joined (if any), in one statement. */
    static void insert(Connection c, List<RawEvent> events, Map<String, UUID> incidentOf, Instant receivedAt)
            throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        int n = events.size();
        String[][] cols = new String[17][n];
        for (int i = 0; i < n; i++) {
            LibvirtRawEvent e = events.get(i).event();
            String id = events.get(i).id();
            cols[0][i] = id;
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
            UUID incident = incidentOf.get(id);
            cols[16][i] = incident == null ? null : incident.toString();
        }
        // "on conflict do nothing": a consumer that took over the partition in a rebalance may have stored it first.
        try (PreparedStatement ps = c.prepareStatement("""
                insert into raw_event (id, hypervisor, host_key, domain_uuid, domain_name, kind, lifecycle_type,
                    lifecycle_detail, watchdog_action, io_src_path, io_dev_alias, io_action, io_reason, occurred_at,
                    via, raw_line, incident_id, received_at)
                select id, hv, hk, du, dn, k, lt, ld, wa, isp, ida, ia, ir, oa::timestamptz, via, rl, inc::uuid, ?
                  from unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[],
                              ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[],
                              ?::varchar[], ?::varchar[], ?::varchar[], ?::text[], ?::varchar[])
                       as u(id, hv, hk, du, dn, k, lt, ld, wa, isp, ida, ia, ir, oa, via, rl, inc)
                on conflict do nothing""")) {
            ps.setTimestamp(1, java.sql.Timestamp.from(receivedAt));
            for (int col = 0; col < 17; col++) {
                ps.setArray(col + 2, c.createArrayOf(col == 15 ? "text" : "varchar", cols[col]));
            }
            ps.executeUpdate();
        }
    }

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
