package io.lifeboat.collector.source.openstack;

import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.id.SourceId;
import io.lifeboat.common.id.SourceKind;
import io.lifeboat.common.inventory.ClusterRef;
import io.lifeboat.common.inventory.ComputeService;
import io.lifeboat.common.inventory.HostState;
import io.lifeboat.common.inventory.HostStatus;
import org.openstack4j.model.compute.ext.Service;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/** A nova-compute service (os-services, wire-formats.md A.2) → the {@link HostState} of its host. */
final class NovaServiceMapping {

    private NovaServiceMapping() {
    }

    /**
     * Down when the service is down or forced down; maintenance when up but disabled. An empty zone (a service not
     * in any availability zone) is no cluster.
     */
    static HostState host(SourceId source, Service s, Map<String, String> hypervisorHostnames, Instant at) {
        return host(source, s, hypervisorHostnames, Map.of(), at);
    }

    /** With the hypervisors' {@code host_ip}s: the host's management address, which detection probes. */
    static HostState host(SourceId source, Service s, Map<String, String> hypervisorHostnames,
                          Map<String, String> hypervisorAddresses, Instant at) {
        String state = s.getState() == null ? "unknown" : s.getState().name().toLowerCase(Locale.ROOT);
        String status = s.getStatus() == null ? "unknown" : s.getStatus().name().toLowerCase(Locale.ROOT);
        Boolean forcedDown = s.getForcedDown() == null ? null : Boolean.valueOf(s.getForcedDown());
        HostStatus normalised = "down".equals(state) || Boolean.TRUE.equals(forcedDown) ? HostStatus.DOWN
                : "up".equals(state) ? ("disabled".equals(status) ? HostStatus.MAINTENANCE : HostStatus.UP)
                : HostStatus.UNKNOWN;
        String zone = s.getZone() == null || s.getZone().isBlank() ? null : s.getZone();
        ComputeService cs = new ComputeService(s.getId(), s.getBinary(), state, status, forcedDown,
                s.getDisabledReason(), s.getUpdatedAt() == null ? null : s.getUpdatedAt().toInstant(), zone);
        return new HostState(HostKey.of(source, s.getHost()), SourceKind.OPENSTACK, s.getHost(),
                zone == null ? null : new ClusterRef(zone, zone), normalised, state + "/" + status,
                s.getDisabledReason(), hypervisorAddresses.get(s.getHost()), hypervisorHostnames.get(s.getHost()),
                null, cs, at);
    }
}
