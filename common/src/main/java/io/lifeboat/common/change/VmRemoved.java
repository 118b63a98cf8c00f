package io.lifeboat.common.change;

import io.lifeboat.common.Nullable;
import io.lifeboat.common.Require;
import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.id.VmKey;

import java.time.Instant;

/** A VM is gone from its source (deleted, or its old shell removed after an HA restart elsewhere). */
public record VmRemoved(VmKey vm, String vmName, @Nullable HostKey lastHost, Instant observedAt) {

    public static final String TYPE = "lifeboat.vm.removed.v1";

    public VmRemoved {
        Require.field(vm, "vm");
        Require.text(vmName, "vmName");
        Require.field(observedAt, "observedAt");
    }
}
