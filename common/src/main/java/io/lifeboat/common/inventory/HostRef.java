package io.lifeboat.common.inventory;

import io.lifeboat.common.Nullable;
import io.lifeboat.common.Require;
import io.lifeboat.common.id.HostKey;

/** A host by key and its display name. */
public record HostRef(HostKey key, @Nullable String name) {
    public HostRef {
        Require.field(key, "key");
    }
}
