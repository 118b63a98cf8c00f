package io.lifeboat.common.inventory;

import io.lifeboat.common.Require;
import io.lifeboat.common.id.HostKey;

import java.util.List;

/** Placement policy: affinity and the hosts a VM is pinned or preferred to. */
public record Placement(PlacementAffinity affinity, List<HostKey> hosts) {
    public Placement {
        Require.field(affinity, "affinity");
        hosts = Require.list(hosts);
    }
}
