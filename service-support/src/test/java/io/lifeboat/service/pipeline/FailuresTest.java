package io.lifeboat.service.pipeline;

import io.lifeboat.common.envelope.EventDecodingException;
import io.lifeboat.service.events.EventPublisher;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

import java.net.ConnectException;
import java.sql.SQLException;

import static io.lifeboat.service.pipeline.Failures.Kind.DATA;
import static io.lifeboat.service.pipeline.Failures.Kind.INFRASTRUCTURE;
import static io.lifeboat.service.pipeline.Failures.Kind.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;

/** Which failures are the record's and which the infrastructure's: only the former may ever reach a DLQ. */
class FailuresTest {

    /** What Hibernate and Narayana wrap a JDBC failure in, two levels deep. */
    private static RuntimeException wrapped(Throwable cause) {
        return new RuntimeException("jakarta.transaction.RollbackException",
                new jakarta.persistence.PersistenceException("could not execute statement", cause));
    }

    @Test
    void theDatabaseGoneOrRestartingIsInfrastructure() {
        // PostgreSQL stopped: connection refused (08001), the backend went away mid-statement (08006), an admin
        // shutdown of the session (57P01), the server starting up (57P03).
        assertThat(Failures.classify(wrapped(new PSQLException("Connection refused",
                PSQLState.CONNECTION_UNABLE_TO_CONNECT)))).isEqualTo(INFRASTRUCTURE);
        assertThat(Failures.classify(wrapped(new PSQLException("An I/O error occurred while sending to the backend.",
                PSQLState.CONNECTION_FAILURE)))).isEqualTo(INFRASTRUCTURE);
        assertThat(Failures.classify(wrapped(new SQLException("terminating connection due to administrator"
                + " command", "57P01")))).isEqualTo(INFRASTRUCTURE);
        assertThat(Failures.classify(wrapped(new SQLException("the database system is starting up", "57P03"))))
                .isEqualTo(INFRASTRUCTURE);
        // Serialization failure and deadlock: retried, never the record's fault.
        assertThat(Failures.classify(wrapped(new SQLException("could not serialize access", "40001"))))
                .isEqualTo(INFRASTRUCTURE);
        assertThat(Failures.classify(wrapped(new SQLException("deadlock detected", "40P01"))))
                .isEqualTo(INFRASTRUCTURE);
    }

    @Test
    void thePoolAndTheOrmClosingUnderAShutdownIsInfrastructure() {
        assertThat(Failures.classify(new IllegalStateException("EntityManagerFactory is closed")))
                .isEqualTo(INFRASTRUCTURE);
        assertThat(Failures.classify(wrapped(new SQLException("Sorry, acquisition timeout!"))))
                .isEqualTo(INFRASTRUCTURE);
        assertThat(Failures.classify(wrapped(new ConnectException("Connection refused")))).isEqualTo(INFRASTRUCTURE);
        assertThat(Failures.classify(new EventPublisher.PublishException("publishing to Kafka failed",
                new org.apache.kafka.common.errors.TimeoutException("Expiring 3 record(s)"))))
                .isEqualTo(INFRASTRUCTURE);
    }

    @Test
    void aSchemaThatDoesNotMatchTheCodeIsNotTheRecordsFault() {
        assertThat(Failures.classify(wrapped(new SQLException("column \"x\" does not exist", "42703"))))
                .isEqualTo(INFRASTRUCTURE);
    }

    @Test
    void valuesTheDatabaseRefusesAreData() {
        assertThat(Failures.classify(wrapped(new SQLException("value too long for type character varying(255)",
                "22001")))).isEqualTo(DATA);
        assertThat(Failures.classify(wrapped(new SQLException("invalid byte sequence for encoding \"UTF8\": 0x00",
                "22021")))).isEqualTo(DATA);
        assertThat(Failures.classify(wrapped(new SQLException("duplicate key value", "23505")))).isEqualTo(DATA);
        assertThat(Failures.classify(new EventDecodingException("missing field", "id", "type", null)))
                .isEqualTo(DATA);
        assertThat(Failures.classify(new PoisonRecordException("key mismatch"))).isEqualTo(DATA);
    }

    @Test
    void infrastructureAnywhereInTheChainWins() {
        // A data-looking wrapper around a broken connection is still the connection's fault.
        assertThat(Failures.classify(new IllegalArgumentException("bad",
                new PSQLException("refused", PSQLState.CONNECTION_UNABLE_TO_CONNECT)))).isEqualTo(INFRASTRUCTURE);
    }

    @Test
    void aBugSaysNeither() {
        assertThat(Failures.classify(new NullPointerException())).isEqualTo(UNKNOWN);
        assertThat(Failures.classify(new IllegalStateException("unexpected branch"))).isEqualTo(UNKNOWN);
    }

    @Test
    void theDescriptionNamesTheDatabasesOwnWords() {
        assertThat(Failures.describe(wrapped(new SQLException("value too long for type character varying(255)",
                "22001")))).isEqualTo("SQLException: value too long for type character varying(255)");
    }
}
