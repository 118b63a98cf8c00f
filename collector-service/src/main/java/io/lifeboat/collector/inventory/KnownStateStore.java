package io.lifeboat.collector.inventory;

import io.agroal.api.AgroalDataSource;
import io.lifeboat.common.id.SourceId;
import io.lifeboat.common.inventory.HostState;
import io.lifeboat.common.inventory.StorageDomainState;
import io.lifeboat.common.inventory.VmState;
import io.lifeboat.common.json.Json;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The last published state of every host, VM and storage domain, and each source's signal cursor, in the collector's
 * schema. The collector's only memory: a restarted collector reads it back and publishes no false changes.
 */
@ApplicationScoped
public class KnownStateStore {

    @Inject
    AgroalDataSource ds;

    Known load(SourceId source) {
        try (Connection c = ds.getConnection()) {
            return new Known(read(c, "known_host", "host_key", source, HostState.class),
                    read(c, "known_vm", "vm_key", source, VmState.class),
                    read(c, "known_storage_domain", "domain_key", source, StorageDomainState.class));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the known state of " + source + ": " + e.getMessage(), e);
        }
    }

    Map<String, Known.Entry<HostState>> hosts(SourceId source) {
        try (Connection c = ds.getConnection()) {
            return read(c, "known_host", "host_key", source, HostState.class);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    Map<String, Known.Entry<VmState>> vms(SourceId source, Collection<String> keys) {
        Map<String, Known.Entry<VmState>> out = new HashMap<>();
        if (keys.isEmpty()) {
            return out;
        }
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("select vm_key, fingerprint, state from known_vm"
                     + " where source_id = ? and vm_key = any (?)")) {
            ps.setString(1, source.value());
            ps.setArray(2, c.createArrayOf("varchar", keys.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new Known.Entry<>(rs.getString(2), parse(rs.getString(3), VmState.class)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stores what was just published (acknowledged by Kafka), in one transaction. */
    void apply(SourceId source, InventoryDiff.Result r, Instant at, boolean republished) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                upsert(c, "known_host", "host_key", source, at, r.hosts().stream()
                        .map(h -> new Row(h.host().toString(), Fingerprints.of(h), Fingerprints.json(h))).toList());
                upsert(c, "known_vm", "vm_key", source, at, r.vms().stream()
                        .map(v -> new Row(v.vm().toString(), Fingerprints.of(v), Fingerprints.json(v))).toList());
                upsert(c, "known_storage_domain", "domain_key", source, at, r.storageDomains().stream()
                        .map(d -> new Row(d.domain().toString(), Fingerprints.of(d), Fingerprints.json(d))).toList());
                delete(c, "known_host", "host_key", r.removedHosts());
                delete(c, "known_vm", "vm_key", r.removedVms());
                delete(c, "known_storage_domain", "domain_key", r.removedStorageDomains());
                if (republished) {
                    try (PreparedStatement ps = c.prepareStatement("insert into source_republish (source_id,"
                            + " republished_at) values (?, ?) on conflict (source_id) do update set republished_at ="
                            + " excluded.republished_at")) {
                        ps.setString(1, source.value());
                        ps.setTimestamp(2, Timestamp.from(at));
                        ps.executeUpdate();
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store the known state of " + source + ": " + e.getMessage(), e);
        }
    }

    Optional<Instant> lastRepublish(SourceId source) {
        return single("select republished_at from source_republish where source_id = ?", source)
                .map(ts -> ((Timestamp) ts).toInstant());
    }

    Optional<String> cursor(SourceId source) {
        return single("select cursor from source_cursor where source_id = ?", source).map(Object::toString);
    }

    void setCursor(SourceId source, String cursor, Instant at) {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("insert into source_cursor (source_id, cursor, updated_at)"
                     + " values (?, ?, ?) on conflict (source_id) do update set cursor = excluded.cursor,"
                     + " updated_at = excluded.updated_at")) {
            ps.setString(1, source.value());
            ps.setString(2, cursor);
            ps.setTimestamp(3, Timestamp.from(at));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private Optional<Object> single(String sql, SourceId source) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, source.value());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getObject(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Row(String key, String fingerprint, String json) {
    }

    private static void upsert(Connection c, String table, String keyColumn, SourceId source, Instant at,
                               List<Row> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("insert into " + table + " (" + keyColumn + ", source_id,"
                + " fingerprint, state, updated_at) values (?, ?, ?, ?, ?) on conflict (" + keyColumn + ") do update"
                + " set fingerprint = excluded.fingerprint, state = excluded.state, updated_at = excluded.updated_at")) {
            int n = 0;
            for (Row r : rows) {
                ps.setString(1, r.key());
                ps.setString(2, source.value());
                ps.setString(3, r.fingerprint());
                ps.setString(4, r.json());
                ps.setTimestamp(5, Timestamp.from(at));
                ps.addBatch();
                if (++n % 1000 == 0) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        }
    }

    private static void delete(Connection c, String table, String keyColumn, List<String> keys) throws SQLException {
        if (keys.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("delete from " + table + " where " + keyColumn + " = any (?)")) {
            ps.setArray(1, c.createArrayOf("varchar", keys.toArray()));
            ps.executeUpdate();
        }
    }

    private static <T> Map<String, Known.Entry<T>> read(Connection c, String table, String keyColumn, SourceId source,
                                                        Class<T> type) throws SQLException {
        Map<String, Known.Entry<T>> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select " + keyColumn + ", fingerprint, state from " + table
                + " where source_id = ?")) {
            ps.setString(1, source.value());
            ps.setFetchSize(2000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new Known.Entry<>(rs.getString(2), parse(rs.getString(3), type)));
                }
            }
        }
        return out;
    }

    private static <T> T parse(String json, Class<T> type) {
        try {
            return Json.mapper().readValue(json, type);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable known state: " + e.getMessage(), e);
        }
    }
}
