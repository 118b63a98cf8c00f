package io.lifeboat.simulator.world;

import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.time.Duration;
import java.util.Optional;

/**
 * Applies injected latency and errors to the emulated APIs (never to the control API) and counts every call by its
 * operation, e.g. {@code ovirt.vms} or {@code nova.serverAction}. Latency is a non-blocking delay.
 */
public class ApiTrafficFilter {

    @Inject
    ApiTraffic traffic;

    @ServerRequestFilter
    public Uni<Response> apply(ContainerRequestContext ctx, ResourceInfo resource) {
        String path = ctx.getUriInfo().getPath();
        String[] api = classify(path);
        if (api == null) {
            return Uni.createFrom().nullItem();
        }
        String operation = api[0] + "." + (resource.getResourceMethod() == null ? "unknown"
                : resource.getResourceMethod().getName());
        traffic.record(api[1], operation);
        Duration delay = traffic.latencyFor(api[0], api[1]);
        Optional<ApiTraffic.ErrorRule> error = traffic.errorFor(api[0], api[1], operation);
        Response injected = error.map(e -> ApiFaults.render(path, e.status(), e.message() != null ? e.message()
                : "Injected failure (simulator)")).orElse(null);
        if (delay.isZero()) {
            return Uni.createFrom().item(injected);
        }
        return Uni.createFrom().item(injected).onItem().delayIt().by(delay);
    }

    /** [api, source] of an emulated API path, or null for the control API and Quarkus endpoints. */
    static String[] classify(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        String[] s = p.split("/");
        if (s.length >= 2 && s[0].equals("ovirt")) {
            return new String[] {"ovirt", s[1]};
        }
        if (s.length >= 2 && s[0].equals("ovirt-engine")) {
            return new String[] {"ovirt-sso", null};
        }
        if (s.length >= 3 && s[0].equals("openstack")) {
            String api = switch (s[2]) {
                case "identity" -> "keystone";
                case "compute" -> "nova";
                case "volume" -> "cinder";
                case "image" -> "glance";
                default -> s[2];
            };
            return new String[] {api, s[1]};
        }
        if (s.length >= 1 && s[0].equals("redfish")) {
            return new String[] {"redfish", null};
        }
        return null;
    }
}
