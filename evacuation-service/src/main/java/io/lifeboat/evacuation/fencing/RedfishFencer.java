package io.lifeboat.evacuation.fencing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.cloud.CloudCallException;
import io.lifeboat.cloud.CloudCalls;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Fences through the host's BMC: Redfish {@code ComputerSystem.Reset} with {@code ForceOff}, then {@code PowerState}
 * until {@code Off}. The ComputerSystem's URL comes from a template with {@code {host}} and {@code {source}}.
 * <p>
 * The proof is the {@code PowerState} read after the reset, never the reset's answer: many BMCs answer 409 (some 400)
 * to a ForceOff of a chassis that went off on its own meanwhile (reference/peers.md, "Fencing pitfalls"), so such an
 * answer is followed by fresh reads and counts as fenced when they say Off. Every exchange with the BMC (method,
 * status, the BMC's message) is kept in the outcome's detail, which goes to the audit trail. A BMC that does not
 * answer at all (it lost power with the host) makes this fencer {@code UNAVAILABLE}, so the next fencer of the chain
 * is tried, or an operator asked.
 * <p>
 * Authentication is HTTP basic, or a Redfish session ({@code session=true}): {@code POST SessionService/Sessions}
 * with the credentials, the answer's {@code X-Auth-Token} on every later request, and the session deleted at the end
 * of the fence whatever its outcome (BMCs allow few sessions at once).
 */
public final class RedfishFencer implements Fencer {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The longest BMC message kept per exchange in the detail. */
    private static final int MESSAGE_CHARS = 160;

    private final String systemUrlTemplate;
    private final String username;
    /** Read at each use: a BMC password file re-read when it changes (rotation without a restart). */
    private final java.util.function.Supplier<String> password;
    private final boolean session;
    private final Duration powerOffTimeout;
    private final CloudCalls calls;
    private final BmcClients clients = new BmcClients();

    public RedfishFencer(String systemUrlTemplate, String username, String password, Duration powerOffTimeout,
                         CloudCalls calls) {
        this(systemUrlTemplate, username, password, false, powerOffTimeout, calls);
    }

    public RedfishFencer(String systemUrlTemplate, String username, String password, boolean session,
                         Duration powerOffTimeout, CloudCalls calls) {
        this(systemUrlTemplate, username, () -> password, session, powerOffTimeout, calls);
    }

    public RedfishFencer(String systemUrlTemplate, String username, java.util.function.Supplier<String> password,
                         boolean session, Duration powerOffTimeout, CloudCalls calls) {
        this.systemUrlTemplate = systemUrlTemplate;
        this.username = username;
        this.password = () -> {
            String p = password.get();
            return p == null ? "" : p;
        };
        this.session = session;
        this.powerOffTimeout = powerOffTimeout;
        this.calls = calls;
    }

    /** HTTP basic credentials, with the password as it is now; null without a user. */
    private String authorization() {
        return username == null ? null : "Basic " + Base64.getEncoder().encodeToString(
                (username + ":" + password.get()).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String name() {
        return "redfish";
    }

    /**
     * BMCs usually serve a self-signed certificate: trust exactly the certificates of this PEM file (a bundle, or one
     * file per BMC with {@code {host}} / {@code {hostId}} / {@code {source}} in its path), with the host name checked
     * against them unless {@code verifyHostname} is off (a pinned certificate issued for another name, as BMCs'
     * factory certificates are).
     */
    public RedfishFencer trustStore(String template, boolean verifyHostname) {
        clients.trustStore(template, verifyHostname);
        return this;
    }

    String systemUrl(Target host) {
        String url = systemUrlTemplate.replace("{host}", host.name()).replace("{source}", host.sourceId())
                .replace("{hostId}", host.hostId());
        clients.bmc(url, host);
        return url;
    }

    @Override
    public FenceOutcome fence(Target host) {
        String url = systemUrl(host);
        List<String> exchanges = new ArrayList<>();
        String authorization = authorization();
        Auth auth = new Auth(authorization == null ? null : "Authorization", authorization, null);
        FenceOutcome outcome;
        try {
            if (session) {
                auth = login(url, exchanges);
            }
            outcome = fence(url, auth, exchanges);
        } catch (CloudCallException e) {
            outcome = failure(url, e, exchanges);
        }
        if (auth.sessionUri() != null) {
            logout(auth, exchanges);
            outcome = new FenceOutcome(outcome.result(), outcome.detail() + ", " + exchanges.get(exchanges.size() - 1));
        }
        return outcome;
    }

    /**
     * The BMC's {@code PowerState} now, for detection: one read (within its own session when sessions are configured),
     * never retried, bounded by {@code timeout}. Empty when the BMC does not answer or answers with an error; the
     * reason is in {@code problem}.
     */
    public Optional<String> readPowerState(Target host, Duration timeout, List<String> problem) {
        String url = systemUrl(host);
        List<String> exchanges = new ArrayList<>();
        String authorization = authorization();
        Auth auth = new Auth(authorization == null ? null : "Authorization", authorization, null);
        try {
            if (session) {
                auth = login(url, exchanges);
            }
            Auth a = auth;
            HttpResponse<String> r = exchange("GET", url, null, a, exchanges, "GET PowerState", timeout);
            JsonNode n = r.body() == null || r.body().isBlank() ? null : JSON.readTree(r.body());
            return Optional.of(n == null ? "Unknown" : n.path("PowerState").asText("Unknown"));
        } catch (Exception e) {
            problem.add(e instanceof CloudCallException ? e.getMessage() : "the BMC at " + url + " did not answer ("
                    + e.getClass().getSimpleName() + (e instanceof javax.net.ssl.SSLException
                    || e instanceof IllegalArgumentException ? ": " + e.getMessage() : "") + ")");
            return Optional.empty();
        } finally {
            if (auth.sessionUri() != null) {
                logout(auth, exchanges);
            }
        }
    }

    /** How requests authenticate: a header and its value; {@code sessionUri} when a session was opened. */
    private record Auth(String header, String value, String sessionUri) {
    }

    private FenceOutcome fence(String url, Auth auth, List<String> exchanges) {
        String state = powerState(url, auth, exchanges);
        boolean alreadyOff = "Off".equals(state);
        if (!alreadyOff) {
            try {
                calls.idempotent("Redfish ForceOff", () -> send("POST", url + "/Actions/ComputerSystem.Reset",
                        "{\"ResetType\":\"ForceOff\"}", auth, exchanges));
            } catch (CloudCallException e) {
                if (e.status() != 409 && e.status() != 400) {
                    throw e;
                }
                // The BMC refused the reset: perhaps the host went off meanwhile. Only PowerState can tell.
            }
        }
        long deadline = System.nanoTime() + powerOffTimeout.toNanos();
        while (!"Off".equals(state = powerState(url, auth, exchanges))) {
            if (System.nanoTime() > deadline) {
                return FenceOutcome.failed("BMC " + url + " still reports PowerState " + state + " "
                        + powerOffTimeout.toSeconds() + " s after ForceOff; " + BmcExchanges.summary(exchanges));
            }
            CloudCalls.sleep(1000);
        }
        return FenceOutcome.fenced("PowerState Off read from the BMC " + (alreadyOff ? "(already off: no ForceOff"
                + " sent)" : "after ForceOff") + " (" + url + "); " + BmcExchanges.summary(exchanges));
    }

    private static FenceOutcome failure(String url, CloudCallException e, List<String> exchanges) {
        if (e.status() == 404) {
            return FenceOutcome.unavailable("no BMC system at " + url + "; " + BmcExchanges.summary(exchanges));
        }
        if (e.status() == 0) {
            return FenceOutcome.unavailable("the BMC at " + url + " does not answer (" + e.getMessage()
                    + "): it may have lost power with the host; " + BmcExchanges.summary(exchanges));
        }
        return FenceOutcome.failed(e.getMessage() + "; " + BmcExchanges.summary(exchanges));
    }

    /** The service root of the BMC that serves {@code systemUrl}: everything before {@code /redfish/v1/}. */
    static String serviceRoot(String systemUrl) {
        int at = systemUrl.indexOf("/redfish/v1/");
        return at < 0 ? systemUrl : systemUrl.substring(0, at);
    }

    private Auth login(String url, List<String> exchanges) {
        String sessions = serviceRoot(url) + "/redfish/v1/SessionService/Sessions";
        ObjectNode body = JSON.createObjectNode().put("UserName", username).put("Password", password.get());
        HttpResponse<String> r = calls.idempotent("Redfish session login", () -> exchange("POST", sessions,
                body.toString(), new Auth(null, null, null), exchanges, "POST Sessions"));
        String token = r.headers().firstValue("X-Auth-Token").orElseThrow(() -> new CloudCallException(
                "POST " + sessions + " → " + r.statusCode() + " without an X-Auth-Token", r.statusCode(), null));
        String location = r.headers().firstValue("Location").orElse(null);
        return new Auth("X-Auth-Token", token, location == null ? null : URI.create(sessions).resolve(location)
                .toString());
    }

    /** The session is deleted whatever the fence's outcome; a failure to delete it is only recorded. */
    private void logout(Auth auth, List<String> exchanges) {
        try {
            calls.once("Redfish session logout", () -> exchange("DELETE", auth.sessionUri(), null, auth, exchanges,
                    "DELETE Session"));
        } catch (CloudCallException e) {
            // recorded in the exchanges; the BMC expires the session itself
        }
    }

    private String powerState(String url, Auth auth, List<String> exchanges) {
        JsonNode n = calls.idempotent("Redfish power state", () -> send("GET", url, null, auth, exchanges));
        return n == null ? "Unknown" : n.path("PowerState").asText("Unknown");
    }

    private JsonNode send(String method, String url, String body, Auth auth, List<String> exchanges)
            throws Exception {
        HttpResponse<String> r = exchange(method, url, body, auth, exchanges,
                method.equals("GET") ? "GET PowerState" : "POST Reset ForceOff");
        try {
            return r.body() == null || r.body().isBlank() ? null : JSON.readTree(r.body());
        } catch (Exception e) {
            return null;
        }
    }

    /** One request; an error answer is recorded with the BMC's message and thrown, a success is recorded. */
    private HttpResponse<String> exchange(String method, String url, String body, Auth auth, List<String> exchanges,
                                          String what) throws Exception {
        return exchange(method, url, body, auth, exchanges, what, Duration.ofSeconds(30));
    }

    private HttpResponse<String> exchange(String method, String url, String body, Auth auth, List<String> exchanges,
                                          String what, Duration timeout) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Accept", "application/json");
        if (auth.header() != null) {
            b.header(auth.header(), auth.value());
        }
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> r;
        try {
            r = clients.client(url).send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IllegalArgumentException e) {
            exchanges.add(what + " → not sent: " + e.getMessage());
            throw new java.io.IOException(e.getMessage(), e);
        } catch (java.io.IOException e) {
            exchanges.add(what + " → no answer (" + e.getClass().getSimpleName()
                    + (e instanceof javax.net.ssl.SSLException ? ": " + e.getMessage() : "") + ")");
            throw e;
        }
        JsonNode json = null;
        try {
            json = r.body() == null || r.body().isBlank() ? null : JSON.readTree(r.body());
        } catch (Exception e) {
            // not JSON: the raw body is the message
        }
        if (r.statusCode() >= 400) {
            String message = json == null ? r.body() : json.path("error").path("message").asText(r.body());
            message = message == null ? "" : message.length() > MESSAGE_CHARS
                    ? message.substring(0, MESSAGE_CHARS) + "…" : message;
            exchanges.add(what + " → " + r.statusCode() + " " + message);
            throw new CloudCallException(method + " " + url + " → " + r.statusCode() + ": " + message,
                    r.statusCode(), null);
        }
        exchanges.add(what + " → " + r.statusCode() + (what.equals("GET PowerState") && json != null
                ? " " + json.path("PowerState").asText("Unknown") : ""));
        return r;
    }
}
