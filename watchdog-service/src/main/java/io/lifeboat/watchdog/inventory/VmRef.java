package io.lifeboat.watchdog.inventory;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A VM from the inventory topic: its libvirt domain, host and watchdog configuration. */
@Entity
@Table(name = "vm_ref")
public class VmRef extends PanacheEntityBase {

    @Id
    @Column(name = "vm_key")
    public String vmKey;

    @Column(name = "source_id", nullable = false)
    public String sourceId;

    @Column(nullable = false)
    public String platform;

    @Column(name = "vm_id", nullable = false)
    public String vmId;

    @Column(nullable = false)
    public String name;

    @Column(name = "domain_name", nullable = false)
    public String domainName;

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

    @Column(name = "deletion_state", nullable = false)
    public String deletionState;

    @Column(name = "deleted_at")
    public Instant deletedAt;

    @Column(name = "reclaim_at")
    public Instant reclaimAt;

    @Column(name = "watchdog_model")
    public String watchdogModel;

    @Column(name = "watchdog_action")
    public String watchdogAction;

    @Column(name = "watchdog_source")
    public String watchdogSource;

    /** From the live domain XML, where a libvirt connection read it. */
    @Column(name = "xml_watchdog_model")
    public String xmlWatchdogModel;

    @Column(name = "xml_watchdog_action")
    public String xmlWatchdogAction;

    @Column(name = "xml_panic")
    public Boolean xmlPanic;

    @Column(name = "xml_checked_at")
    public Instant xmlCheckedAt;

    @Column(nullable = false)
    public boolean removed;

    @Column(name = "observed_at", nullable = false)
    public Instant observedAt;
}
