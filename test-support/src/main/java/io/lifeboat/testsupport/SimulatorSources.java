package io.lifeboat.testsupport;

import java.util.HashMap;
import java.util.Map;

/**
 * The collector configuration for the simulator's {@code ovirt-1} and {@code openstack-1}, as an operator would
 * write it for real sources: full cycles at start and on refresh, fast signals every second, one retry per call so
 * that failure tests stay short.
 */
public final class SimulatorSources {

    private SimulatorSources() {
    }

    public static Map<String, String> collectorProperties(String simulatorUrl) {
        Map<String, String> p = new HashMap<>();
        source(p, "ovirt-1", "ovirt", simulatorUrl + "/ovirt/ovirt-1/ovirt-engine/api", "admin@internal");
        source(p, "openstack-1", "openstack", simulatorUrl + "/openstack/openstack-1/identity/v3", "admin");
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
}
