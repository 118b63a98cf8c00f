package io.lifeboat.mapping.lineage;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.time.Instant;

/** One stretch of time during which a VM's host, cluster, status and attributes stayed the same. */
@Entity
@Table(name = "vm_interval")
public class VmInterval extends Interval {

    @Column(name = "vm_key", nullable = false)
    public String vmKey;

    @Column(name = "vm_name", nullable = false)
    public String vmName;

    @Column(name = "host_key")
    public String hostKey;

    @Column(name = "host_name")
    public String hostName;

    @Column(name = "cluster_id")
    public String clusterId;

    @Column(name = "cluster_name")
    public String clusterName;

    @Column(nullable = false)
    public String status;

    @Column(name = "platform_status", nullable = false)
    public String platformStatus;

    @Column(name = "status_detail")
    public String statusDetail;

    @Column(name = "deletion_state", nullable = false)
    public String deletionState;

    @Column(name = "reclaim_at")
    public Instant reclaimAt;

    @Column(name = "ip_addresses")
    public String ipAddresses;

    @Column
    public Integer vcpus;

    @Column(name = "cpu_topology")
    public String cpuTopology;

    @Column(name = "memory_bytes")
    public Long memoryBytes;
}
