package io.lifeboat.cloud.ovirt;

import io.lifeboat.cloud.CloudCallException;
import io.lifeboat.cloud.CloudCalls;
import io.lifeboat.cloud.Password;
import io.lifeboat.cloud.SourceConnection;
import org.jboss.logging.Logger;
import org.ovirt.engine.sdk4.Connection;
import org.ovirt.engine.sdk4.ConnectionBuilder;

import java.time.Duration;

/**
 * The connection to one oVirt engine (ovirt-engine-sdk-java), kept across calls and rebuilt when it cannot be trusted:
 * <ul>
 *   <li>after a 401 (the engine's SSO token expired or was revoked: an engine restart, a session timeout). The SDK
 *       logs in again and resends by itself, but never releases the pooled connection of the 401 answer: its pool
 *       holds two, so the call after a second expiry waits forever (shown by {@code TokenExpiryTest} against the
 *       simulator). The token is compared before and after each call; when the SDK changed it, the connection is
 *       closed and the next call logs in on a new one (the password file read again), counted as a
 *       re-authentication. A 401 that reaches us (the SDK's second try refused too) is made once more the same way;</li>
 *   <li>after no answer (a timeout, a reset) or a server error: the lease may be leaked the same way.</li>
 * </ul>
 */
public final class OvirtConnection implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(OvirtConnection.class);

    /** A call made with the connection. */
    @FunctionalInterface
    public interface SdkCall<T> {
        T call(Connection connection) throws Exception;
    }

    private final String sourceId;
    private final SourceConnection config;
    private final Password password;
    private final Duration timeout;
    private final CloudCalls calls;
    private Connection connection;

    public OvirtConnection(String sourceId, SourceConnection config, Duration timeout, CloudCalls calls) {
        this.sourceId = sourceId;
        this.config = config;
        this.password = Password.of(config, sourceId);
        this.timeout = timeout;
        this.calls = calls;
    }

    /**
     * A read or an idempotent action: {@link CloudCalls#idempotent}, and a 401 made once more on a new login (the
     * connection that met it is already closed).
     */
    public <T> T idempotent(String what, SdkCall<T> call) {
        return calls.reauthenticatingOnce(what, () -> { }, () -> calls.idempotent(what, guarded(what, call)));
    }

    /** An action made once ({@link CloudCalls#once}); a 401 (not processed) is made once more on a new login. */
    public <T> T once(String what, SdkCall<T> call) {
        return calls.reauthenticatingOnce(what, () -> { }, () -> calls.once(what, guarded(what, call)));
    }

    /** One item's detail ({@link CloudCalls#detail}). */
    public <T> T detail(String what, SdkCall<T> call) {
        return calls.detail(what, guarded(what, call));
    }

    private <T> java.util.concurrent.Callable<T> guarded(String what, SdkCall<T> call) {
        return () -> {
            Connection c = connection();
            String token = c.authenticate();   // logs in on a new connection; the token held, after
            try {
                return call.call(c);
            } catch (Exception e) {
                int status = CloudCalls.status(e);
                if (status == 401 || status == CloudCallException.NO_ANSWER || status >= 500) {
                    discard(c, status == 401 ? "401 (SSO token expired or revoked)" : status >= 500 ? "a " + status
                            : "no answer");
                }
                if (e instanceof org.ovirt.engine.sdk4.Error) {
                    throw new CloudCallException(e.getMessage(), status, e);
                }
                throw e;
            } finally {
                if (loggedInAgain(c, token)) {
                    // The SDK met a 401, logged in and resent by itself, leaking the first answer's pooled connection:
                    // a new connection before the pool of two runs dry and the next call waits forever.
                    discard(c, "a 401 the SDK answered by logging in again");
                    calls.reauthenticated(what);
                }
            }
        };
    }

    /** Whether the connection, still in use, holds another token than before the call. */
    private synchronized boolean loggedInAgain(Connection c, String before) {
        if (connection != c) {
            return false;
        }
        try {
            return !java.util.Objects.equals(before, c.authenticate());
        } catch (RuntimeException e) {
            return false;
        }
    }

    private synchronized Connection connection() {
        if (connection == null) {
            ConnectionBuilder b = ConnectionBuilder.connection()
                    .url(config.url().replaceAll("/+$", ""))
                    .user(config.username())
                    .password(password.get())
                    .timeout((int) Math.max(1, timeout.toSeconds()))
                    .insecure(config.insecure());
            config.trustStore().ifPresent(ts -> b.trustStoreFile(ts.toString()));
            config.trustStorePassword().ifPresent(b::trustStorePassword);
            connection = b.build();
        }
        return connection;
    }

    private synchronized void discard(Connection c, String why) {
        if (connection == c) {
            LOG.debugf("source %s: rebuilding the engine connection after %s", sourceId, why);
            closeQuietly(c);
            connection = null;
        }
    }

    /** Closes the connection (logging out); the next call logs in again. */
    @Override
    public synchronized void close() {
        if (connection != null) {
            closeQuietly(connection);
            connection = null;
        }
    }

    private void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.debugf("source %s: closing the engine connection: %s", sourceId, e.getMessage());
        }
    }

    public long apiCalls() {
        return calls.count();
    }
}
