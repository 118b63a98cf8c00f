package io.lifeboat.common.change;

import io.lifeboat.common.Nullable;
import io.lifeboat.common.Require;
import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.id.VmKey;
import io.lifeboat.common.inventory.VmDisk;

import java.time.Instant;

/** A disk (and its LUN, if any) appeared on a VM. */
public record DiskAttached(VmKey vm, String vmName, @Nullable HostKey host, VmDisk disk, Instant observedAt) {

    public static final String TYPE = "lifeboat.vm.disk-attached.v1";

    public DiskAttached {
        Require.field(vm, "vm");
        Require.text(vmName, "vmName");
        Require.field(disk, "disk");
        Require.field(observedAt, "observedAt");
    }
}
