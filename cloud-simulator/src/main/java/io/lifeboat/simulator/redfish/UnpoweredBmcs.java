package io.lifeboat.simulator.redfish;

import io.lifeboat.simulator.openstack.NovaService;
import io.lifeboat.simulator.openstack.OpenStackRegion;
import io.lifeboat.simulator.ovirt.OvHost;
import io.lifeboat.simulator.ovirt.OvirtEngine;
import io.lifeboat.simulator.world.Simulation;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * A BMC without power (after a total power loss) answers nothing: every request to its system is dropped by closing
 * the connection before any response, which is what a client of a dead BMC sees (no status, no body). It runs as a
 * route ahead of the REST resources, which could only answer with a status.
 */
@ApplicationScoped
public class UnpoweredBmcs {

    private static final String PREFIX = "/redfish/v1/Systems/";

    @Inject
    Simulation simulation;

    void install(@Observes Router router) {
        router.route(PREFIX + "*").order(-10).handler(ctx -> {
            String path = ctx.normalizedPath();
            if (path.length() <= PREFIX.length()) {
                ctx.next();
                return;
            }
            String rest = path.substring(PREFIX.length());
            int slash = rest.indexOf('/');
            String id = slash < 0 ? rest : rest.substring(0, slash);
            if (unpowered(id)) {
                ctx.request().connection().close();
            } else {
                ctx.next();
            }
        });
    }

    /** Whether {@code <source>.<host name>} names a BMC that has no power. */
    boolean unpowered(String bmcId) {
        for (OvirtEngine e : simulation.topology().ovirt()) {
            for (OvHost h : e.hosts()) {
                if (bmcId.equals(e.sourceId + "." + h.name)) {
                    return !h.bmcPowered;
                }
            }
        }
        for (OpenStackRegion r : simulation.topology().openstack()) {
            for (NovaService s : r.services()) {
                if (bmcId.equals(r.sourceId + "." + s.host)) {
                    return !s.bmcPowered;
                }
            }
        }
        return false;
    }
}
