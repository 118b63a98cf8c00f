package io.lifeboat.common.change;

import io.lifeboat.common.Nullable;
import io.lifeboat.common.Require;
import io.lifeboat.common.id.SourceId;
import io.lifeboat.common.id.SourceKind;

import java.time.Instant;

/** One inventory cycle of one source finished. */
public record CollectionCycleFinished(SourceId source, SourceKind platform, Instant startedAt, Instant finishedAt,
                                      CycleOutcome outcome, int hosts, int vms, int apiCalls, int changes,
                                      @Nullable String error) {

    public static final String TYPE = "lifeboat.collection.cycle-finished.v1";

    public CollectionCycleFinished {
        Require.field(source, "source");
        Require.field(platform, "platform");
        Require.field(startedAt, "startedAt");
        Require.field(finishedAt, "finishedAt");
        Require.field(outcome, "outcome");
        Require.nonNegative(hosts, "hosts");
        Require.nonNegative(vms, "vms");
        Require.nonNegative(apiCalls, "apiCalls");
        Require.nonNegative(changes, "changes");
    }
}
