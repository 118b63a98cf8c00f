package io.lifeboat.collector.source.openstack;

import io.lifeboat.common.id.SourceId;
import io.lifeboat.common.inventory.HostState;
import org.openstack4j.model.compute.ext.Service;

import java.time.Instant;
import java.util.Map;

/** The package's mapping, for tests in other packages. */
public final class NovaMappingAccess {

    private NovaMappingAccess() {
    }

    public static HostState host(SourceId source, Service s, Map<String, String> hypervisors, Instant at) {
        return NovaServiceMapping.host(source, s, hypervisors, at);
    }
}
