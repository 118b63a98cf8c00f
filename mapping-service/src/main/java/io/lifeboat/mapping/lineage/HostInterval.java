package io.lifeboat.mapping.lineage;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** One stretch of time during which a host's name, cluster and status stayed the same. */
@Entity
@Table(name = "host_interval")
public class HostInterval extends Interval {

    @Column(name = "host_key", nullable = false)
    public String hostKey;

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
}
