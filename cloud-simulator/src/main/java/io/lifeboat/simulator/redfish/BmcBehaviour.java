package io.lifeboat.simulator.redfish;

import com.fasterxml.jackson.annotation.JsonFormat;
import io.lifeboat.simulator.world.SimulatedFault;
import io.lifeboat.simulator.world.SimulatorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How the simulated BMCs behave where real ones differ from the Redfish specification (reference/peers.md, "Fencing
 * pitfalls"): a reset of a chassis already off is refused (409, or 400), and the reported {@code PowerState} lags the
 * power by a sensor-polling interval. Both start from the configuration and can be changed at run time.
 */
@ApplicationScoped
public class BmcBehaviour {

    /** The run-time settings, as {@code PUT /sim/v1/redfish} takes and answers them. */
    public record Settings(@JsonFormat(shape = JsonFormat.Shape.STRING) Duration powerStateLag,
                           Integer resetWhenOff, Boolean basicAuth) {
    }

    /** A Redfish session: its id (in its URI) and its token. */
    public record Session(String id, String token) {
    }

    private volatile Duration powerStateLag;
    private volatile int resetWhenOff;
    private volatile boolean basicAuth = true;
    /** Live sessions: id to token. */
    private final Map<String, String> sessions = new ConcurrentHashMap<>();
    /** When each BMC's power last changed, and what it was before: the lagging PowerState shows the old value. */
    private final Map<String, Change> changes = new ConcurrentHashMap<>();

    private record Change(Instant at, boolean before) {
    }

    @Inject
    void init(SimulatorConfig config) {
        powerStateLag = config.redfish().powerStateLag();
        resetWhenOff = check(config.redfish().resetWhenOff());
    }

    public synchronized Settings update(Settings s) {
        if (s != null && s.powerStateLag() != null) {
            if (s.powerStateLag().isNegative()) {
                throw SimulatedFault.badRequest("'powerStateLag' must not be negative");
            }
            powerStateLag = s.powerStateLag();
        }
        if (s != null && s.resetWhenOff() != null) {
            resetWhenOff = check(s.resetWhenOff());
        }
        if (s != null && s.basicAuth() != null) {
            basicAuth = s.basicAuth();
        }
        return settings();
    }

    public Settings settings() {
        return new Settings(powerStateLag, resetWhenOff, basicAuth);
    }

    /** Whether the BMCs take HTTP basic credentials besides session tokens (many can be set to refuse them). */
    boolean basicAuth() {
        return basicAuth;
    }

    Session openSession() {
        Session s = new Session(java.util.UUID.randomUUID().toString().substring(0, 8),
                java.util.UUID.randomUUID().toString().replace("-", ""));
        sessions.put(s.id(), s.token());
        return s;
    }

    boolean closeSession(String id) {
        return sessions.remove(id) != null;
    }

    boolean validToken(String token) {
        return sessions.containsValue(token);
    }

    java.util.Set<String> sessions() {
        return java.util.Set.copyOf(sessions.keySet());
    }

    int resetWhenOff() {
        return resetWhenOff;
    }

    /** The BMC's power went from {@code before} to the other state now. */
    public void powerChanged(String bmcId, boolean before) {
        changes.put(bmcId, new Change(Instant.now(), before));
    }

    /** What the BMC reports: the power as it was {@link #powerStateLag} ago. */
    boolean reportedPower(String bmcId, boolean poweredOn) {
        Change c = changes.get(bmcId);
        if (c == null || powerStateLag.isZero() || c.before() == poweredOn) {
            return poweredOn;
        }
        return Instant.now().isBefore(c.at().plus(powerStateLag)) ? c.before() : poweredOn;
    }

    private static int check(int status) {
        if (status != 204 && status != 400 && status != 409) {
            throw SimulatedFault.badRequest("'resetWhenOff' is 409, 400 or 204");
        }
        return status;
    }
}
