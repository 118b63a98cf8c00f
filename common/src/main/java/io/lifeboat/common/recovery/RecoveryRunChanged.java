package io.lifeboat.common.recovery;

import io.lifeboat.common.Nullable;
import io.lifeboat.common.Require;
import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.id.SourceKind;

import java.time.Instant;
import java.util.UUID;

/** A recovery run changed state or step; published on {@code lifeboat.recovery.v1}, keyed by the failed host. */
public record RecoveryRunChanged(UUID runId, @Nullable UUID episodeId, HostKey host, SourceKind platform,
                                 RecoveryRunState state, @Nullable RecoveryStep step, boolean dryRun,
                                 String triggeredBy, int instancesTotal, int succeeded, int failed, int skipped,
                                 Instant at, @Nullable String detail) {

    public static final String TYPE = "lifeboat.recovery.run-changed.v1";

    public RecoveryRunChanged {
        Require.field(runId, "runId");
        Require.field(host, "host");
        Require.field(platform, "platform");
        Require.field(state, "state");
        Require.text(triggeredBy, "triggeredBy");
        Require.nonNegative(instancesTotal, "instancesTotal");
        Require.nonNegative(succeeded, "succeeded");
        Require.nonNegative(failed, "failed");
        Require.nonNegative(skipped, "skipped");
        Require.field(at, "at");
    }
}
