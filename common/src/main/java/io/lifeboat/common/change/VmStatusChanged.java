package io.lifeboat.common.change;

import io.lifeboat.common.Nullable;
import io.lifeboat.common.Require;
import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.id.VmKey;
import io.lifeboat.common.inventory.VmStatus;

import java.time.Instant;

/** A VM's status changed, e.g. RUNNING → PAUSED with statusDetail {@code eio} after a storage path loss. */
public record VmStatusChanged(VmKey vm, String vmName, @Nullable HostKey host, VmStatus previous, VmStatus current,
                              @Nullable String platformStatus, @Nullable String statusDetail, SignalSource signal,
                              Instant observedAt) {

    public static final String TYPE = "lifeboat.vm.status-changed.v1";

    public VmStatusChanged {
        Require.field(vm, "vm");
        Require.text(vmName, "vmName");
        Require.field(previous, "previous");
        Require.field(current, "current");
        Require.field(signal, "signal");
        Require.field(observedAt, "observedAt");
    }
}
