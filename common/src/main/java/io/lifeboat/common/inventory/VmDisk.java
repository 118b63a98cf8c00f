package io.lifeboat.common.inventory;

import io.lifeboat.common.Nullable;
import io.lifeboat.common.Require;

/**
 * One disk of a VM.
 *
 * @param id            oVirt disk id, or the Cinder volume id for a volume
 * @param iface         oVirt attachment interface ({@code virtio_scsi}, {@code virtio}...) or the Nova device name
 * @param storageDomain oVirt storage domain id (image disks)
 * @param lun           the SAN LUN, when known: direct LUNs always, volumes when the backend exposes it
 */
public record VmDisk(String id, @Nullable String name, @Nullable Long sizeBytes, @Nullable String iface,
                     DiskStorageType storageType, @Nullable String storageDomain, boolean bootable,
                     @Nullable LunInfo lun) {
    public VmDisk {
        Require.text(id, "id");
        Require.field(storageType, "storageType");
    }
}
