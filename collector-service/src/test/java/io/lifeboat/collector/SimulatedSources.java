package io.lifeboat.collector;

import io.lifeboat.testsupport.SimulatorProcess;
import io.lifeboat.testsupport.SimulatorSources;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Points the collector at the real cloud-simulator (its own process): one oVirt engine and one OpenStack region, as
 * an operator would configure real ones. Full cycles only on demand (the first runs at start); fast signals every
 * second; one retry per call so that failure tests stay short.
 */
public class SimulatedSources implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return SimulatorSources.collectorProperties(SimulatorProcess.get().url());
    }

    @Override
    public void stop() {
        // the simulator lives as long as the test JVM
    }
}
