package io.lifeboat.simulator.ovirt;

/**
 * A disk: an image on a storage domain, or a direct LUN ({@code storage_type=lun} with {@code lun_storage}). A
 * shareable direct LUN may be attached to several VMs.
 */
public final class OvDisk {
    public final String id;
    public final String alias;
    public final long provisionedSize;
    public final String storageType;     // image | lun
    public final String storageDomainId; // image disks
    public final String lunStorageType;  // fcp | iscsi, LUN disks
    public final OvLun lun;              // LUN disks
    public final boolean shareable;
    public String status = "ok";

    public OvDisk(String id, String alias, long provisionedSize, String storageType, String storageDomainId,
                  String lunStorageType, OvLun lun, boolean shareable) {
        this.id = id;
        this.alias = alias;
        this.provisionedSize = provisionedSize;
        this.storageType = storageType;
        this.storageDomainId = storageDomainId;
        this.lunStorageType = lunStorageType;
        this.lun = lun;
        this.shareable = shareable;
    }
}
