package io.lifeboat.simulator.management;

import io.lifeboat.simulator.openstack.NovaService;
import io.lifeboat.simulator.openstack.OpenStackRegion;
import io.lifeboat.simulator.ovirt.OvHost;
import io.lifeboat.simulator.ovirt.OvirtEngine;
import io.lifeboat.simulator.topology.Topology;
import io.lifeboat.simulator.world.SimulatorConfig;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

/**
 * The hosts' management network (simulator.management.port): each simulated host that is powered and reachable
 * listens on its own loopback address ({@code 127.<octet>.x.y}), as a real host's libvirt or vdsm port does, so a
 * reachability probe sees what it would see on a real network. The listeners follow the hosts' ground truth: a power
 * loss, a network partition or a fence closes a host's port within {@link #RECONCILE_MS}, its recovery reopens it.
 */
@ApplicationScoped
public class ManagementNetwork {

    private static final Logger LOG = Logger.getLogger(ManagementNetwork.class);
    static final long RECONCILE_MS = 200;

    @Inject
    SimulatorConfig config;

    @Inject
    Vertx vertx;

    private int octet;
    private volatile Map<String, BooleanSupplier> hosts = Map.of();
    private final Map<String, NetServer> listening = new HashMap<>();
    private final Set<String> opening = new HashSet<>();
    private long timer = -1;

    /** Gives every host of a new topology its address, and starts following its hosts. */
    public synchronized void attach(Topology topology) {
        if (config.management().port().isEmpty()) {
            return;
        }
        if (octet == 0) {
            octet = config.management().octet().orElse(ThreadLocalRandom.current().nextInt(16, 255));
        }
        Map<String, BooleanSupplier> next = new HashMap<>();
        int n = 0;
        for (OvirtEngine e : topology.ovirt()) {
            for (OvHost h : e.hosts()) {
                h.address = address(n++);
                next.put(h.address, () -> h.poweredOn && h.networkReachable);
            }
        }
        for (OpenStackRegion r : topology.openstack()) {
            for (NovaService s : r.services()) {
                s.managementAddress = address(n++);
                next.put(s.managementAddress, () -> s.poweredOn && s.networkReachable);
            }
        }
        hosts = Map.copyOf(next);
        reconcile();
        if (timer < 0) {
            timer = vertx.setPeriodic(RECONCILE_MS, id -> reconcile());
            LOG.infof("management network 127.%d.0.0/16: %d hosts listen on port %d", octet, next.size(),
                    config.management().port().getAsInt());
        }
    }

    private String address(int n) {
        return "127." + octet + "." + (n / 250) + "." + (n % 250 + 1);
    }

    synchronized void reconcile() {
        int port = config.management().port().getAsInt();
        Map<String, BooleanSupplier> current = hosts;
        for (var it = listening.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            BooleanSupplier up = current.get(e.getKey());
            if (up == null || !up.getAsBoolean()) {
                e.getValue().close();
                it.remove();
            }
        }
        for (var e : current.entrySet()) {
            String address = e.getKey();
            if (!e.getValue().getAsBoolean() || listening.containsKey(address) || opening.contains(address)) {
                continue;
            }
            opening.add(address);
            NetServer server = vertx.createNetServer().connectHandler(socket -> socket.close());
            server.listen(port, address).onComplete(r -> {
                synchronized (this) {
                    opening.remove(address);
                    if (r.failed()) {
                        LOG.warnf("management address %s:%d: %s", address, port, r.cause().getMessage());
                        return;
                    }
                    BooleanSupplier up = hosts.get(address);
                    if (up != null && up.getAsBoolean()) {
                        listening.put(address, server);
                    } else {
                        server.close();   // went down while it was opening
                    }
                }
            });
        }
    }

    @PreDestroy
    synchronized void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        listening.values().forEach(NetServer::close);
        listening.clear();
    }
}
