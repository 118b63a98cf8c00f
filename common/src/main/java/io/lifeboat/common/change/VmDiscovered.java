package io.lifeboat.common.change;

import io.lifeboat.common.Nullable;
import io.lifeboat.common.Require;
import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.id.VmKey;
import io.lifeboat.common.inventory.VmStatus;

import java.time.Instant;

/** A VM was seen for the first time. */
public record VmDiscovered(VmKey vm, String vmName, @Nullable HostKey host, VmStatus status, Instant observedAt) {

    public static final String TYPE = "lifeboat.vm.discovered.v1";

    public VmDiscovered {
        Require.field(vm, "vm");
        Require.text(vmName, "vmName");
        Require.field(status, "status");
        Require.field(observedAt, "observedAt");
    }
}
