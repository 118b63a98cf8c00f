package io.lifeboat.simulator.world;

import io.lifeboat.simulator.openstack.OpenStackRegion;
import io.lifeboat.simulator.ovirt.OvirtEngine;
import io.lifeboat.simulator.topology.Topology;
import io.lifeboat.simulator.topology.TopologyGenerator;
import io.lifeboat.simulator.topology.TopologySpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** The simulated clouds currently served; replaced as a whole when the topology is reseeded. */
@ApplicationScoped
public class Simulation {

    private final Clock clock = Clock.systemUTC();
    private volatile Topology topology;
    private volatile TopologySpec spec;

    @Inject
    SimulatorConfig config;

    @Inject
    io.lifeboat.simulator.management.ManagementNetwork management;

    @jakarta.annotation.PostConstruct
    void init() {
        reseed(config.topology().toSpec());
    }

    public synchronized Topology reseed(TopologySpec newSpec) {
        if (topology != null) {
            topology.close();
        }
        topology = TopologyGenerator.generate(newSpec, clock, config.openstack());
        topology.ovirt().forEach(e -> e.setFencing(config.ovirt().engineFencing(), config.ovirt().fenceGrace(),
                config.ovirt().rebootTime()));
        spec = newSpec;
        management.attach(topology);
        return topology;
    }

    public Topology topology() {
        return topology;
    }

    public TopologySpec spec() {
        return spec;
    }

    public Optional<OvirtEngine> ovirt(String id) {
        return topology.ovirt().stream().filter(e -> e.sourceId.equals(id)).findFirst();
    }

    public Optional<OpenStackRegion> openstack(String id) {
        return topology.openstack().stream().filter(r -> r.sourceId.equals(id)).findFirst();
    }

    public List<String> sourceIds() {
        return topology.sourceIds();
    }

    public Clock clock() {
        return clock;
    }
}
