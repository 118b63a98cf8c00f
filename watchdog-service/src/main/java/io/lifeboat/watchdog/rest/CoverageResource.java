package io.lifeboat.watchdog.rest;

import io.lifeboat.service.rest.ProblemException;
import io.lifeboat.watchdog.inventory.VmRef;
import io.quarkus.panache.common.Parameters;
import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Watchdog and panic-device coverage: from the inventory (flavor extra spec, image property — the image overrides the
 * flavor — or the oVirt device), and from the live domain XML where a libvirt connection read it, which wins.
 */
@Path("/api/v1/coverage")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Watchdog coverage")
@RolesAllowed({"viewer", "operator"})
public class CoverageResource {

    /** One VM's coverage. {@code panic} is null while no domain XML was read for it. */
    public record VmCoverage(String vm, String name, String source, String cluster, String host,
                             String watchdogAction, String watchdogModel, String watchdogFrom, Boolean panic) {
        static VmCoverage of(VmRef v) {
            boolean xml = v.xmlCheckedAt != null;
            String action = xml ? v.xmlWatchdogAction : v.watchdogAction;
            return new VmCoverage(v.vmKey, v.name, v.sourceId, v.clusterName != null ? v.clusterName : v.clusterId,
                    v.hostName, action == null ? null : action.toUpperCase(java.util.Locale.ROOT).replace('-', '_'),
                    xml ? v.xmlWatchdogModel : v.watchdogModel, action == null ? null : xml ? "DOMAIN_XML"
                    : v.watchdogSource, xml ? v.xmlPanic : null);
        }
    }

    /** A group's counts: VMs, with a watchdog (by action), with a panic device, and not known either way. */
    public record Group(String group, long vms, long withWatchdog, long withoutWatchdog, Map<String, Long> actions,
                        long withPanic, long panicUnknown) {
    }

    @GET
    @Transactional
    @Operation(summary = "Coverage counts per source, cluster or host (groupBy)")
    public List<Group> groups(@QueryParam("groupBy") @DefaultValue("host") String groupBy,
                              @QueryParam("source") String source) {
        Function<VmCoverage, String> key = switch (groupBy) {
            case "source" -> VmCoverage::source;
            case "cluster" -> c -> c.source() + "/" + (c.cluster() == null ? "-" : c.cluster());
            case "host" -> c -> c.source() + "/" + (c.host() == null ? "-" : c.host());
            default -> throw ProblemException.badRequest("invalid-group", "groupBy must be source, cluster or host");
        };
        Map<String, List<VmCoverage>> by = vms(source, null, null).stream().collect(Collectors.groupingBy(key,
                TreeMap::new, Collectors.toList()));
        return by.entrySet().stream().map(e -> {
            List<VmCoverage> l = e.getValue();
            long with = l.stream().filter(c -> c.watchdogAction() != null && !"NONE".equals(c.watchdogAction()))
                    .count();
            Map<String, Long> actions = l.stream().filter(c -> c.watchdogAction() != null)
                    .collect(Collectors.groupingBy(VmCoverage::watchdogAction, TreeMap::new, Collectors.counting()));
            return new Group(e.getKey(), l.size(), with, l.size() - with, actions,
                    l.stream().filter(c -> Boolean.TRUE.equals(c.panic())).count(),
                    l.stream().filter(c -> c.panic() == null).count());
        }).toList();
    }

    @GET
    @Path("/vms")
    @Transactional
    @Operation(summary = "Each VM's watchdog (action, model, where it was read) and panic device")
    public List<VmCoverage> list(@QueryParam("source") String source, @QueryParam("cluster") String cluster,
                                 @QueryParam("host") String host) {
        return vms(source, cluster, host);
    }

    private static List<VmCoverage> vms(String source, String cluster, String host) {
        StringBuilder q = new StringBuilder("removed = false and deletionState = 'NONE'");
        Parameters p = new Parameters();
        if (source != null) {
            q.append(" and sourceId = :source");
            p.and("source", source);
        }
        if (cluster != null) {
            q.append(" and (clusterId = :cluster or clusterName = :cluster)");
            p.and("cluster", cluster);
        }
        if (host != null) {
            q.append(" and (hostName = :host or hostKey = :host)");
            p.and("host", host);
        }
        q.append(" order by sourceId, hostName, name");
        return VmRef.<VmRef>list(q.toString(), p).stream().map(VmCoverage::of).toList();
    }
}
