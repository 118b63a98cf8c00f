package io.lifeboat.collector.source.ovirt;

import io.lifeboat.common.id.SourceId;
import io.lifeboat.common.inventory.ClusterRef;
import io.lifeboat.common.inventory.HostState;
import io.lifeboat.common.inventory.StorageDomainState;
import org.ovirt.engine.sdk4.types.Host;
import org.ovirt.engine.sdk4.types.StorageDomain;

import java.time.Instant;
import java.util.Map;

/** The package's mapping, for tests in other packages. */
public final class OvirtMappingAccess {

    private OvirtMappingAccess() {
    }

    public static HostState host(SourceId source, Host h, Map<String, ClusterRef> clusters, Instant at) {
        return OvirtMapping.host(source, h, clusters, at);
    }

    public static StorageDomainState storageDomain(SourceId source, StorageDomain sd, Instant at) {
        return OvirtMapping.storageDomain(source, sd, at);
    }
}
