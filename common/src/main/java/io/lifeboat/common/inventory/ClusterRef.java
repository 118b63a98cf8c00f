package io.lifeboat.common.inventory;

import io.lifeboat.common.Nullable;
import io.lifeboat.common.Require;

/** A cluster (oVirt) or availability zone / aggregate (OpenStack) by id and name. */
public record ClusterRef(String id, @Nullable String name) {
    public ClusterRef {
        Require.text(id, "id");
    }
}
