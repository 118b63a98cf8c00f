package io.lifeboat.service.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;

/** A {@code timestamptz} column as an {@link Instant}, however it was read. */
public final class Instants {

    private Instants() {
    }

    /** A value of a native query's row: a {@link Timestamp}, an {@link OffsetDateTime}, an {@link Instant} or null. */
    public static Instant of(Object column) {
        if (column instanceof Timestamp ts) {
            return ts.toInstant();
        }
        if (column instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        return (Instant) column;
    }

    /** A column of a JDBC row, read as an offset date-time: the driver parses it without a {@code Calendar}. */
    public static Instant read(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
