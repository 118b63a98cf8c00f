package io.lifeboat.mapping.lineage;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** One stretch of time during which a VM had a disk (and the LUN behind it). */
@Entity
@Table(name = "vm_disk_interval")
public class VmDiskInterval extends Interval {

    @Column(name = "vm_key", nullable = false)
    public String vmKey;

    @Column(name = "disk_id", nullable = false)
    public String diskId;

    @Column(name = "disk_name")
    public String diskName;

    @Column(name = "size_bytes")
    public Long sizeBytes;

    @Column
    public String iface;

    @Column(name = "storage_type", nullable = false)
    public String storageType;

    @Column(name = "storage_domain")
    public String storageDomain;

    @Column(nullable = false)
    public boolean bootable;

    /** The LUN id as the platform reported it. */
    @Column(name = "lun_id")
    public String lunId;

    /** The canonical WWID (multipath form), null when the id is not a WWID. */
    @Column(name = "lun_wwid")
    public String lunWwid;

    @Column(name = "lun_vendor")
    public String lunVendor;

    @Column(name = "lun_product")
    public String lunProduct;

    @Column(name = "lun_serial")
    public String lunSerial;
}
