package io.lifeboat.mapping.lineage;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A LUN backing a block storage domain during a stretch of time. */
@Entity
@Table(name = "storage_domain_lun_interval")
public class StorageDomainLunInterval extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "domain_key", nullable = false)
    public String domainKey;

    @Column(name = "source_id", nullable = false)
    public String sourceId;

    @Column(name = "domain_name", nullable = false)
    public String domainName;

    @Column(name = "lun_wwid", nullable = false)
    public String lunWwid;

    @Column(name = "valid_from", nullable = false)
    public Instant validFrom;

    @Column(name = "valid_to")
    public Instant validTo;

    @Column(name = "last_seen_at", nullable = false)
    public Instant lastSeenAt;

    @Column(name = "event_id", nullable = false)
    public String eventId;
}
