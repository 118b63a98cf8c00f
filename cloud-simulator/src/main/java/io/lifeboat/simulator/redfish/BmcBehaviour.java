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
                           Integer resetWhenOff) {
    }

    private volatile Duration powerStateLag;
    private volatile int resetWhenOff;
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
        return settings();
    }

    public Settings settings() {
        return new Settings(powerStateLag, resetWhenOff);
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
