package io.lifeboat.testsupport;

import java.util.Map;

/**
 * The real cloud-simulator, run as its own process (as in the local stack) for tests of services that talk to clouds.
 * Started once per test JVM from {@code cloud-simulator/target/quarkus-app} (the reactor builds it first; the path
 * comes from the {@code lifeboat.simulator.jar} system property). Nova's timings are shortened so that failures play
 * out in seconds: a compute service is down 3 s after its last heartbeat, an evacuation takes 500 ms. Its hosts listen
 * on their management addresses (loopback) at {@link #managementPort()}, for reachability probes.
 */
public final class SimulatorProcess {

    private static volatile AppProcess instance;
    private static final int MANAGEMENT_PORT = AppProcess.freePort();

    private SimulatorProcess() {
    }

    public static AppProcess get() {
        AppProcess s = instance;
        if (s == null) {
            synchronized (SimulatorProcess.class) {
                s = instance;
                if (s == null) {
                    s = AppProcess.start("cloud-simulator", "lifeboat.simulator.jar", Map.of(
                            "simulator.openstack.service-down-time", "3s",
                            "simulator.openstack.evacuation-duration", "500ms",
                            "simulator.management.port", String.valueOf(MANAGEMENT_PORT),
                            // The engine's own fencing off, and no Connecting grace: a host that stops answering is
                            // non-responsive at once and waits to be fenced; a test turns them on through the
                            // source's settings (PUT /sim/v1/sources/{id}/settings).
                            "simulator.ovirt.engine-fencing", "false",
                            "simulator.ovirt.fence-grace", "0s"), "512m");
                    instance = s;
                }
            }
        }
        return s;
    }

    /** The TCP port every simulated host listens on at its management address while it is powered and reachable. */
    public static int managementPort() {
        return MANAGEMENT_PORT;
    }
}
