package io.lifeboat.watchdog.incident;

import io.lifeboat.common.incident.IncidentKind;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * A guest incident. {@code version} grows with every change; {@code publishedVersion} says what Kafka has seen, so
 * a change is published after its transaction commits, and again after a crash, never lost.
 */
@Entity
@Table(name = "incident")
public class Incident extends PanacheEntityBase {

    @Id
    public UUID id;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public IncidentKind kind;

    @Column(name = "vm_key")
    public String vmKey;

    @Column(name = "vm_name")
    public String vmName;

    @Column(name = "host_key")
    public String hostKey;

    @Column(name = "source_id")
    public String sourceId;

    @Column(nullable = false)
    public String hypervisor;

    @Column(name = "domain_uuid")
    public String domainUuid;

    @Column(name = "domain_name")
    public String domainName;

    public String action;

    @Column(name = "first_seen_at", nullable = false)
    public Instant firstSeenAt;

    @Column(name = "last_seen_at", nullable = false)
    public Instant lastSeenAt;

    @Column(name = "event_count", nullable = false)
    public int eventCount;

    public String detail;

    @Column(nullable = false)
    public int version;

    @Column(name = "published_version", nullable = false)
    public int publishedVersion;
}
