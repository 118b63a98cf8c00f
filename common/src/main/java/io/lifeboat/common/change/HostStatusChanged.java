package io.lifeboat.common.change;

import io.lifeboat.common.Nullable;
import io.lifeboat.common.Require;
import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.inventory.HostStatus;

import java.time.Instant;

/** A host's status changed. {@code previous} is null the first time a host is seen. */
public record HostStatusChanged(HostKey host, @Nullable String hostName, @Nullable HostStatus previous,
                                HostStatus current, @Nullable String previousPlatformStatus, String platformStatus,
                                @Nullable String detail, SignalSource signal, Instant observedAt) {

    public static final String TYPE = "lifeboat.host.status-changed.v1";

    public HostStatusChanged {
        Require.field(host, "host");
        Require.field(current, "current");
        Require.text(platformStatus, "platformStatus");
        Require.field(signal, "signal");
        Require.field(observedAt, "observedAt");
    }
}
