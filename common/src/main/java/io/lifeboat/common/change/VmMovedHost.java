package io.lifeboat.common.change;

import io.lifeboat.common.Nullable;
import io.lifeboat.common.Require;
import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.id.VmKey;

import java.time.Instant;

/**
 * A VM's host changed: migration, evacuation or HA restart elsewhere ({@code to} set), or the platform stopped showing
 * a host for it ({@code to} null: an oVirt DOWN VM that is not pinned).
 */
public record VmMovedHost(VmKey vm, String vmName, @Nullable HostKey from, @Nullable HostKey to, Instant observedAt) {

    public static final String TYPE = "lifeboat.vm.moved-host.v1";

    public VmMovedHost {
        Require.field(vm, "vm");
        Require.text(vmName, "vmName");
        if (from == null && to == null) {
            throw new IllegalArgumentException("a move needs 'from' or 'to'");
        }
        Require.field(observedAt, "observedAt");
    }
}
