package io.lifeboat.common.failure;

import io.lifeboat.common.Nullable;
import io.lifeboat.common.Require;
import io.lifeboat.common.id.HostKey;

import java.time.Instant;
import java.util.UUID;

/**
 * A host-failure episode moved to a new phase. Published on {@code lifeboat.host-failures.v1}, keyed by host.
 *
 * @param firstSignalAt when the failure was first observed: the default "as of" time of the host's unmap plan
 * @param actor         who or what caused the transition: {@code system}, a fencer name, or an operator's user name
 * @param closedAt      when the episode ended, null while it is open. A RECOVERED or PARTIALLY_RECOVERED episode stays
 *                      open while its host is down and closes when the host is seen up again (or an operator closes
 *                      it): the state changes that Lifeboat's own fencing and force-down cause are part of the same
 *                      failure, never a second one
 */
public record HostFailureChanged(UUID episodeId, HostKey host, @Nullable String hostName, HostFailurePhase phase,
                                 @Nullable HostFailurePhase previousPhase, Instant firstSignalAt, Instant at,
                                 String actor, @Nullable String reason, @Nullable Instant closedAt) {

    public static final String TYPE = "lifeboat.host-failure.changed.v1";

    public HostFailureChanged {
        Require.field(episodeId, "episodeId");
        Require.field(host, "host");
        Require.field(phase, "phase");
        Require.field(firstSignalAt, "firstSignalAt");
        Require.field(at, "at");
        Require.text(actor, "actor");
    }
}
