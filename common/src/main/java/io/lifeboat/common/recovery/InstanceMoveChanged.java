package io.lifeboat.common.recovery;

import io.lifeboat.common.Nullable;
import io.lifeboat.common.Require;
import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.id.VmKey;

import java.time.Instant;
import java.util.UUID;

/**
 * One instance's progress in a recovery run, keyed by the failed host.
 *
 * @param action  {@code evacuate}, {@code start}, {@code migrate}, {@code reset-state}...
 * @param reason  why it was skipped or failed, in the operators' words
 */
public record InstanceMoveChanged(UUID runId, HostKey failedHost, VmKey vm, String vmName, String action,
                                  MoveState state, int attempt, @Nullable HostKey targetHost, @Nullable String reason,
                                  Instant at) {

    public static final String TYPE = "lifeboat.recovery.instance-move-changed.v1";

    public InstanceMoveChanged {
        Require.field(runId, "runId");
        Require.field(failedHost, "failedHost");
        Require.field(vm, "vm");
        Require.text(vmName, "vmName");
        Require.text(action, "action");
        Require.field(state, "state");
        Require.nonNegative(attempt, "attempt");
        Require.field(at, "at");
    }
}
