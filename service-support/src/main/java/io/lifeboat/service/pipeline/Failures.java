package io.lifeboat.service.pipeline;

import io.lifeboat.common.envelope.EventDecodingException;

import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.Locale;
import java.util.Set;

/**
 * Tells the infrastructure's failures from the record's (DESIGN.md: "infrastructure trouble is not bad input"). Only
 * a failure that says so is taken for bad data; everything the database, the pool, the ORM or the broker can throw
 * while unavailable, stopping or overloaded is infrastructure. What neither says is {@link Kind#UNKNOWN}: the pipeline
 * then tries the record alone a few times before it believes the record is at fault.
 */
public final class Failures {

    public enum Kind { INFRASTRUCTURE, DATA, UNKNOWN }

    /**
     * SQLSTATE classes of infrastructure trouble (PostgreSQL, appendix A): 08 connection, 25 transaction state, 40
     * rollback (serialization failure, deadlock), 42 syntax or undefined object (a schema that does not match the code:
     * a deployment fault, never the record's), 53 insufficient resources, 55 lock not available, 57 operator
     * intervention (admin shutdown, statement cancelled), 58 system error, XX internal error, HY/HZ driver level.
     */
    private static final Set<String> INFRA_SQL_CLASSES = Set.of("08", "25", "40", "42", "53", "55", "57", "58", "XX",
            "HY", "HZ");
    /** 22 data exception (too long, out of range, invalid text), 23 integrity constraint, 54 too many columns/args. */
    private static final Set<String> DATA_SQL_CLASSES = Set.of("22", "23", "54");

    private Failures() {
    }

    public static Kind classify(Throwable failure) {
        Kind found = Kind.UNKNOWN;
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 20; t = t.getCause(), depth++) {
            Kind k = own(t);
            if (k == Kind.INFRASTRUCTURE) {
                return k;   // anywhere in the chain: the record is not at fault
            }
            if (k == Kind.DATA && found == Kind.UNKNOWN) {
                found = k;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return found;
    }

    private static Kind own(Throwable t) {
        if (t instanceof PoisonRecordException || t instanceof EventDecodingException) {
            return Kind.DATA;
        }
        if (t instanceof SQLException s) {
            String state = s.getSQLState();
            if (state != null && state.length() >= 2) {
                String cls = state.substring(0, 2).toUpperCase(Locale.ROOT);
                if (INFRA_SQL_CLASSES.contains(cls)) {
                    return Kind.INFRASTRUCTURE;
                }
                if (DATA_SQL_CLASSES.contains(cls)) {
                    return Kind.DATA;
                }
            }
            if (t instanceof SQLTransientException || message(t).contains("acquisition timeout")
                    || message(t).contains("connection") || message(t).contains("closed")) {
                return Kind.INFRASTRUCTURE;   // Agroal's "Sorry, acquisition timeout!", a closed pool
            }
            return Kind.UNKNOWN;
        }
        if (t instanceof ConnectException || t instanceof SocketException || t instanceof SocketTimeoutException
                || t instanceof java.util.concurrent.TimeoutException || t instanceof InterruptedException
                || t instanceof java.io.EOFException) {
            return Kind.INFRASTRUCTURE;
        }
        String type = t.getClass().getName();
        if (type.startsWith("org.apache.kafka.common.errors.") || type.startsWith("org.apache.kafka.common.KafkaException")
                || type.equals("jakarta.persistence.QueryTimeoutException")
                || type.equals("jakarta.persistence.LockTimeoutException")
                || type.equals("jakarta.persistence.PessimisticLockException")
                || type.startsWith("org.hibernate.exception.JDBCConnectionException")
                || type.startsWith("org.hibernate.exception.LockAcquisitionException")
                || type.startsWith("org.hibernate.exception.SQLGrammarException")
                || type.startsWith("io.quarkus.arc.ContextNotActiveException")
                || type.startsWith("jakarta.transaction.SystemException")
                || type.startsWith("io.lifeboat.service.events.EventPublisher$PublishException")) {
            return Kind.INFRASTRUCTURE;
        }
        if (t instanceof IllegalStateException) {
            String m = message(t);
            // The ORM or the pool closing under a shutdown, or not yet ready.
            if (m.contains("entitymanagerfactory is closed") || m.contains("is closed") || m.contains("shut down")
                    || m.contains("shutdown") || m.contains("not active") || m.contains("pool")) {
                return Kind.INFRASTRUCTURE;
            }
        }
        if (t instanceof IllegalArgumentException) {
            return Kind.DATA;
        }
        return Kind.UNKNOWN;
    }

    private static String message(Throwable t) {
        String m = t.getMessage();
        return m == null ? "" : m.toLowerCase(Locale.ROOT);
    }

    /** A short, single-line description for logs, health and dead-letter reasons. */
    public static String describe(Throwable t) {
        Throwable root = t;
        String best = null;
        int depth = 0;
        for (Throwable c = t; c != null && depth < 20; c = c.getCause(), depth++) {
            root = c;
            if (c instanceof SQLException || c instanceof PoisonRecordException || c instanceof EventDecodingException) {
                best = line(c);
            }
            if (c.getCause() == c) {
                break;
            }
        }
        String text = best != null ? best : line(root);
        return text.length() > 500 ? text.substring(0, 500) + "…" : text;
    }

    private static String line(Throwable t) {
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            return t.getClass().getSimpleName();
        }
        int nl = m.indexOf('\n');
        return t.getClass().getSimpleName() + ": " + (nl < 0 ? m : m.substring(0, nl)).strip();
    }
}
