package io.lifeboat.mapping.export;

import com.fasterxml.jackson.core.JsonGenerator;
import io.agroal.api.AgroalDataSource;
import io.lifeboat.common.json.Json;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The inventory table the operators asked for: one row per VM disk with source, cluster, host, VM name and id,
 * status, IPs, vCPU (sockets×cores×threads), RAM, disk id / size / interface, storage type and LUN WWID, as of a
 * time. Streamed from a database cursor, so the export of 20,000 VMs never sits in memory.
 */
@ApplicationScoped
public class InventoryExport {

    static final String[] COLUMNS = {"source", "cluster", "host", "vm_name", "vm_id", "status", "ip_addresses",
            "vcpus", "cpu_topology", "ram_mib", "disk_id", "disk_name", "disk_size_bytes", "disk_interface",
            "storage_type", "lun_wwid", "lun_id"};

    /** Columns that are numbers: JSON numbers in the JSON export (CSV has no types). */
    static final java.util.Set<String> NUMERIC = java.util.Set.of("vcpus", "ram_mib", "disk_size_bytes");

    @Inject
    AgroalDataSource ds;

    /** Filters; null means all. */
    public record Filter(String source, String cluster, String host, Instant asOf) {
    }

    public long csv(Filter f, OutputStream out) throws IOException {
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        w.write(String.join(",", COLUMNS));
        w.write('\n');
        long rows = stream(f, values -> {
            for (int i = 0; i < values.length; i++) {
                if (i > 0) {
                    w.write(',');
                }
                w.write(cell(values[i]));
            }
            w.write('\n');
        });
        w.flush();
        return rows;
    }

    public long json(Filter f, OutputStream out) throws IOException {
        JsonGenerator g = Json.mapper().getFactory().createGenerator(out);
        g.writeStartArray();
        long rows = stream(f, values -> {
            g.writeStartObject();
            for (int i = 0; i < COLUMNS.length; i++) {
                if (values[i] == null) {
                    continue;
                }
                if (NUMERIC.contains(COLUMNS[i])) {
                    g.writeNumberField(COLUMNS[i], Long.parseLong(values[i]));
                } else {
                    g.writeStringField(COLUMNS[i], values[i]);
                }
            }
            g.writeEndObject();
        });
        g.writeEndArray();
        g.flush();
        return rows;
    }

    @FunctionalInterface
    interface RowSink {
        void accept(String[] values) throws IOException;
    }

    private long stream(Filter f, RowSink sink) throws IOException {
        StringBuilder sql = new StringBuilder("""
                select v.source_id, v.cluster_name, v.host_name, v.vm_name, v.vm_key, v.status, v.ip_addresses,
                       v.vcpus, v.cpu_topology, v.memory_bytes, d.disk_id, d.disk_name, d.size_bytes, d.iface,
                       d.storage_type, d.lun_wwid, d.lun_id
                  from vm_interval v
                  left join vm_disk_interval d on d.vm_key = v.vm_key
                       and d.valid_from <= ? and (d.valid_to is null or d.valid_to > ?)
                 where v.valid_from <= ? and (v.valid_to is null or v.valid_to > ?)""");
        List<String> params = new ArrayList<>();
        if (f.source() != null) {
            sql.append(" and v.source_id = ?");
            params.add(f.source());
        }
        if (f.cluster() != null) {
            sql.append(" and (v.cluster_name = ? or v.cluster_id = ?)");
            params.add(f.cluster());
            params.add(f.cluster());
        }
        if (f.host() != null) {
            sql.append(" and (v.host_name = ? or v.host_key = ?)");
            params.add(f.host());
            params.add(f.host());
        }
        sql.append(" order by v.source_id, v.cluster_name, v.host_name, v.vm_name, d.disk_id");
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);   // PostgreSQL streams with a cursor only inside a transaction
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                Timestamp t = Timestamp.from(f.asOf());
                for (int i = 1; i <= 4; i++) {
                    ps.setTimestamp(i, t);
                }
                for (int i = 0; i < params.size(); i++) {
                    ps.setString(5 + i, params.get(i));
                }
                ps.setFetchSize(1000);
                long rows = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String vmKey = rs.getString(5);
                        long mem = rs.getLong(10);
                        boolean memNull = rs.wasNull();
                        sink.accept(new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                vmKey.substring(vmKey.indexOf('/') + 1), rs.getString(6), rs.getString(7),
                                rs.getString(8), rs.getString(9), memNull ? null : Long.toString(mem / (1024 * 1024)),
                                rs.getString(11), rs.getString(12), rs.getString(13), rs.getString(14),
                                rs.getString(15), rs.getString(16), rs.getString(17)});
                        rows++;
                    }
                }
                c.commit();
                return rows;
            }
        } catch (SQLException e) {
            throw new IOException("export failed: " + e.getMessage(), e);
        }
    }

    private static String cell(String s) {
        if (s == null) {
            return "";
        }
        String v = !s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0 ? "'" + s : s;
        return v.contains(",") || v.contains("\"") || v.contains("\n") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }
}
