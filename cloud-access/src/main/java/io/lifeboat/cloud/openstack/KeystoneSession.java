package io.lifeboat.cloud.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import io.lifeboat.cloud.CloudCallException;
import io.lifeboat.cloud.CloudCalls;
import io.lifeboat.cloud.Password;
import io.lifeboat.cloud.SourceConnection;
import org.jboss.logging.Logger;
import org.openstack4j.api.OSClient.OSClientV3;
import org.openstack4j.api.types.Facing;
import org.openstack4j.core.transport.Config;
import org.openstack4j.model.common.Identifier;
import org.openstack4j.model.identity.v3.Endpoint;
import org.openstack4j.model.identity.v3.Service;
import org.openstack4j.model.identity.v3.Token;
import org.openstack4j.openstack.OSFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * A Keystone v3 session for one OpenStack source: the token (password authentication through openstack4j, the
 * password file re-read at each authentication), the service catalog at the configured interface, the compute
 * microversion negotiated with Nova, and the rule for a 401: the token expired or was revoked (Keystone restarted,
 * its fernet keys rotated), so the session authenticates again and the call is made <b>once</b> more. The service did
 * not process a request it answered 401, so this is safe even for an evacuate; it is counted as a re-authentication,
 * never as a refusal or a failure.
 */
public final class KeystoneSession {

    private static final Logger LOG = Logger.getLogger(KeystoneSession.class);
    /** A token is used at most this long, and never within {@link #EXPIRY_MARGIN} of its expiry. */
    private static final Duration TOKEN_REUSE = Duration.ofMinutes(30);
    private static final Duration EXPIRY_MARGIN = Duration.ofMinutes(5);

    private final String sourceId;
    private final SourceConnection connection;
    private final Password password;
    private final CloudCalls calls;
    private final Clock clock;
    private final OpenStackHttp http;
    private final Config os4jConfig;
    private final int configuredMinor;

    private Token token;
    private Instant renewAt;
    private String computeUrl;
    private volatile int usedMinor;
    private volatile int servedMinor;

    public KeystoneSession(String sourceId, SourceConnection connection, Duration timeout, CloudCalls calls,
                           Clock clock) {
        if (connection.trustStore().isPresent() || connection.insecure()) {
            // openstack4j's OkHttp connector applies an SSL context with the one-argument sslSocketFactory(), which
            // throws on Java 9+: it can only use the JVM's trust store.
            throw new IllegalArgumentException("trust-store and insecure are not supported for OpenStack source "
                    + sourceId + " (openstack4j's OkHttp connector cannot take its own TLS context on Java 9+): add"
                    + " the CA to the JVM trust store instead (-Djavax.net.ssl.trustStore=... in JAVA_TOOL_OPTIONS)");
        }
        this.sourceId = sourceId;
        this.connection = connection;
        this.password = Password.of(connection, sourceId);
        this.calls = calls;
        this.clock = clock;
        this.http = new OpenStackHttp(connection, timeout);
        int ms = (int) Math.min(timeout.toMillis(), Integer.MAX_VALUE);
        this.os4jConfig = Config.newConfig().withConnectionTimeout(Math.min(ms, 15_000)).withReadTimeout(ms);
        this.configuredMinor = minorOf(connection.computeMicroversion());
        this.usedMinor = configuredMinor;
        this.servedMinor = configuredMinor;
    }

    // ------------------------------------------------------------------ calls

    /** A read or an idempotent write with the session's token: retried as {@link CloudCalls#idempotent}; a 401 once. */
    public <T> T idempotent(String what, Callable<T> call) {
        token();
        return calls.reauthenticatingOnce(what, this::renew, () -> calls.idempotent(what, call));
    }

    /** An action made once ({@link CloudCalls#once}); a 401 (not processed) is made once more after authenticating. */
    public <T> T once(String what, Callable<T> call) {
        token();
        return calls.reauthenticatingOnce(what, this::renew, () -> calls.once(what, call));
    }

    private void renew() {
        invalidate();
        token();
    }

    /** One HTTP exchange with the current token; use inside {@link #idempotent} or {@link #once}. */
    public JsonNode send(String method, String url, JsonNode body, String microversion) {
        return http.send(method, url, tokenId(), body, microversion);
    }

    /** An openstack4j client on the current token, asking for the negotiated compute microversion. */
    public OSClientV3 client() {
        OSClientV3 client = OSFactory.clientFromToken(token(), facing(), os4jConfig);
        client.headers(Map.of("OpenStack-API-Version", "compute " + microversion()));
        return client;
    }

    // ------------------------------------------------------------------ session

    /** The token, authenticating when there is none or it is due for renewal. */
    public synchronized Token token() {
        if (token == null || !clock.instant().isBefore(renewAt)) {
            authenticate();
        }
        return token;
    }

    public String tokenId() {
        return token().getId();
    }

    /** Drops the token: the next call authenticates again. */
    public synchronized void invalidate() {
        token = null;
    }

    private void authenticate() {
        String secret = password.get();
        Token fresh;
        try {
            OSClientV3 os = calls.idempotent("authenticate with Keystone", () -> OSFactory.builderV3()
                    .endpoint(connection.url().replaceAll("/+$", ""))
                    .credentials(connection.username(), secret, Identifier.byName(connection.userDomain()))
                    .scopeToProject(Identifier.byName(connection.project()),
                            Identifier.byName(connection.projectDomain()))
                    .perspective(facing())
                    .withConfig(os4jConfig)
                    .authenticate());
            fresh = os.getToken();
        } catch (CloudCallException e) {
            if (e.unauthorized()) {
                throw CloudCallException.notSent("Keystone rejected the credentials of user " + connection.username()
                        + " for source " + sourceId + " (check the password or password file)", e);
            }
            throw e;
        }
        Instant now = clock.instant();
        Instant renew = now.plus(TOKEN_REUSE);
        if (fresh.getExpires() != null) {
            Instant margin = fresh.getExpires().toInstant().minus(EXPIRY_MARGIN);
            if (margin.isBefore(renew)) {
                renew = margin.isAfter(now) ? margin : now.plus(Duration.ofSeconds(30));
            }
        }
        token = fresh;
        renewAt = renew;
        computeUrl = catalog("compute");
        negotiate();
    }

    /** The endpoint of a service type at the configured interface. */
    public synchronized String endpoint(String type) {
        token();
        return catalog(type);
    }

    /** The compute endpoint (no trailing slash). */
    public synchronized String computeUrl() {
        token();
        if (computeUrl == null) {
            throw CloudCallException.notSent("the Keystone catalog of source " + sourceId + " has no "
                    + connection.endpointInterface() + " compute endpoint", null);
        }
        return computeUrl;
    }

    private String catalog(String type) {
        Facing facing = facing();
        for (Service s : token.getCatalog()) {
            if (type.equals(s.getType())) {
                for (Endpoint e : s.getEndpoints()) {
                    if (e.getIface() == facing) {
                        return e.getUrl().toString().replaceAll("/+$", "");
                    }
                }
            }
        }
        return null;
    }

    private Facing facing() {
        return Facing.value(connection.endpointInterface());
    }

    // ------------------------------------------------------------------ microversion

    /**
     * Microversion negotiation, as python-novaclient does: Nova's version document ({@code GET /v2.1/}) names the
     * highest microversion it serves; when that is below the configured one, the highest it serves is used (so a Nova
     * before 2.53 gets the older forms rather than a 406 on every call). Read at each new session: an upgraded Nova
     * is seen within the token's reuse time. An unreadable document keeps the configured one.
     */
    private void negotiate() {
        if (computeUrl == null) {
            return;
        }
        int served = configuredMinor;
        try {
            JsonNode doc = http.send("GET", computeUrl + "/", token.getId(), null, null);
            String max = doc == null ? "" : doc.path("version").path("version").asText("");
            if (max.startsWith("2.")) {
                served = minorOf(max);
            }
        } catch (RuntimeException e) {
            LOG.debugf("source %s: Nova's version document could not be read (%s): using %s", sourceId,
                    e.getMessage(), connection.computeMicroversion());
        }
        int use = Math.min(configuredMinor, served);
        if (use != usedMinor) {
            LOG.infof("source %s: Nova serves compute microversions up to 2.%d: using 2.%d (configured %s)", sourceId,
                    served, use, connection.computeMicroversion());
        }
        usedMinor = use;
        servedMinor = served;
    }

    /** The negotiated compute microversion's minor number (53 for 2.53). */
    public int microversionMinor() {
        token();
        return usedMinor;
    }

    /** The highest compute microversion Nova serves (the configured one when its version document was unreadable). */
    public int servedMicroversionMinor() {
        token();
        return servedMinor;
    }

    /** The negotiated compute microversion ({@code 2.53}). */
    public String microversion() {
        return "2." + microversionMinor();
    }

    static int minorOf(String version) {
        try {
            return Integer.parseInt(version.substring(version.indexOf('.') + 1).strip());
        } catch (RuntimeException e) {
            return 1;
        }
    }
}
