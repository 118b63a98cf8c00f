package io.lifeboat.simulator.topology;

import io.lifeboat.simulator.openstack.OpenStackRegion;
import io.lifeboat.simulator.ovirt.OvirtEngine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/** The generated clouds and the timer that drives their delayed transitions (evacuations, reclaim). */
public record Topology(TopologySpec spec, List<OvirtEngine> ovirt, List<OpenStackRegion> openstack,
                       ScheduledExecutorService timer) implements AutoCloseable {

    public List<String> sourceIds() {
        List<String> ids = new ArrayList<>();
        ovirt.forEach(e -> ids.add(e.sourceId));
        openstack.forEach(r -> ids.add(r.sourceId));
        return ids;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
