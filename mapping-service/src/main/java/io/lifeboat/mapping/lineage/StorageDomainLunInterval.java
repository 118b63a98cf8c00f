package io.lifeboat.mapping.lineage;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** A LUN backing a block storage domain during a stretch of time. */
@Entity
@Table(name = "storage_domain_lun_interval")
public class StorageDomainLunInterval extends Interval {

    @Column(name = "domain_key", nullable = false)
    public String domainKey;

    @Column(name = "domain_name", nullable = false)
    public String domainName;

    @Column(name = "lun_wwid", nullable = false)
    public String lunWwid;
}
