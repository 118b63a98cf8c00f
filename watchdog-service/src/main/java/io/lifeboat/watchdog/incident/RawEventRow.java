package io.lifeboat.watchdog.incident;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A raw libvirt event as stored, linked to the incident it joined (if any). */
@Entity
@Table(name = "raw_event")
public class RawEventRow extends PanacheEntityBase {

    @Id
    public String id;

    @Column(nullable = false)
    public String hypervisor;

    @Column(name = "host_key")
    public String hostKey;

    @Column(name = "domain_uuid")
    public String domainUuid;

    @Column(name = "domain_name")
    public String domainName;

    @Column(nullable = false)
    public String kind;

    @Column(name = "lifecycle_type")
    public String lifecycleType;

    @Column(name = "lifecycle_detail")
    public String lifecycleDetail;

    @Column(name = "watchdog_action")
    public String watchdogAction;

    @Column(name = "io_src_path")
    public String ioSrcPath;

    @Column(name = "io_dev_alias")
    public String ioDevAlias;

    @Column(name = "io_action")
    public String ioAction;

    @Column(name = "io_reason")
    public String ioReason;

    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;

    @Column(nullable = false)
    public String via;

    @Column(name = "raw_line")
    public String rawLine;

    @Column(name = "incident_id")
    public UUID incidentId;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;
}
