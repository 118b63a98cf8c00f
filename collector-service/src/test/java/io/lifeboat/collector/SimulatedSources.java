package io.lifeboat.collector;

import io.lifeboat.testsupport.SimulatorProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/**
 * Points the collector at the real cloud-simulator (its own process): one oVirt engine and one OpenStack region, as
 * an operator would configure real ones. Full cycles only on demand (the first runs at start); fast signals every
 * second; one retry per call so that failure tests stay short.
 */
public class SimulatedSources implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        String sim = SimulatorProcess.get().url();
        Map<String, String> p = new HashMap<>();
        source(p, "ovirt-1", "ovirt", sim + "/ovirt/ovirt-1/ovirt-engine/api", "admin@internal");
        source(p, "openstack-1", "openstack", sim + "/openstack/openstack-1/identity/v3", "admin");
        p.put("lifeboat.collector.sources.openstack-1.reclaim-interval", "1h");
        return p;
    }

    private static void source(Map<String, String> p, String id, String kind, String url, String user) {
        String prefix = "lifeboat.collector.sources." + id + ".";
        p.put(prefix + "kind", kind);
        p.put(prefix + "url", url);
        p.put(prefix + "username", user);
        p.put(prefix + "password", "lifeboat");
        p.put(prefix + "cycle-interval", "1h");
        p.put(prefix + "signal-interval", "1s");
        p.put(prefix + "retries", "1");
        p.put(prefix + "call-timeout", "15s");
        p.put(prefix + "page-size", "20");
    }

    @Override
    public void stop() {
        // the simulator lives as long as the test JVM
    }
}
