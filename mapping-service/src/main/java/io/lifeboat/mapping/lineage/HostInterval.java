package io.lifeboat.mapping.lineage;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** One stretch of time during which a host's name, cluster and status stayed the same. */
@Entity
@Table(name = "host_interval")
public class HostInterval extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "host_key", nullable = false)
    public String hostKey;

    @Column(name = "source_id", nullable = false)
    public String sourceId;

    @Column(name = "host_name", nullable = false)
    public String hostName;

    @Column(name = "cluster_id")
    public String clusterId;

    @Column(name = "cluster_name")
    public String clusterName;

    @Column(nullable = false)
    public String status;

    @Column(name = "platform_status", nullable = false)
    public String platformStatus;

    @Column(name = "valid_from", nullable = false)
    public Instant validFrom;

    @Column(name = "valid_to")
    public Instant validTo;

    @Column(name = "last_seen_at", nullable = false)
    public Instant lastSeenAt;

    @Column(name = "event_id", nullable = false)
    public String eventId;
}
