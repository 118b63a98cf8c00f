package io.lifeboat.service.jdbc;

import org.postgresql.PGStatement;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Statements that look a batch's keys up with an array parameter ({@code where key = any(?)}), planned for the values
 * of each execution instead of once for all.
 *
 * <p>The driver prepares a statement on the server after five executions, and PostgreSQL then keeps a generic plan,
 * chosen with the statistics of that moment and blind to the array. On a table that was empty or small when it was
 * last analyzed (a new service, a history the bench just cleared) that plan is a sequential scan that compares every
 * row with every key of the array: measured on the mapping-service's disk intervals during a backlog, 1.1–1.4 s per
 * batch of 1,000 VMs on 30,000 rows, against 2–5 ms for the index scan planned with the keys in hand — and it stays
 * until autovacuum next analyzes the table, a minute or more later. Planned each time, the planner sees the table's
 * real size and the array's length (and hashes the array if it scans): about a millisecond of planning per batch.
 */
public final class KeyLookups {

    private KeyLookups() {
    }

    /** A statement the server plans anew at every execution, with its parameters' values. */
    public static PreparedStatement prepare(Connection c, String sql) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        ps.unwrap(PGStatement.class).setPrepareThreshold(0);
        return ps;
    }
}
