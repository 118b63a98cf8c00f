package io.lifeboat.evacuation.view;

import io.lifeboat.common.inventory.HostStatus;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A host as the collector last published it. */
@Entity
@Table(name = "host_view")
public class HostView extends PanacheEntityBase {

    @Id
    @Column(name = "host_key")
    public String hostKey;

    @Column(name = "source_id", nullable = false)
    public String sourceId;

    @Column(nullable = false)
    public String platform;

    @Column(name = "host_id", nullable = false)
    public String hostId;

    @Column(nullable = false)
    public String name;

    @Column(name = "cluster_id")
    public String clusterId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public HostStatus status;

    @Column(name = "platform_status", nullable = false)
    public String platformStatus;

    @Column(name = "power_management")
    public Boolean powerManagement;

    @Column(name = "compute_service_id")
    public String computeServiceId;

    /** The management address (oVirt: the host's address; Nova: the hypervisor's host_ip), for the probes. */
    public String address;

    @Column(name = "observed_at", nullable = false)
    public Instant observedAt;

    /** A host of the source by its id, else by its name (operators type names; oVirt ids are UUIDs). */
    public static HostView byIdOrName(String sourceId, String idOrName) {
        HostView h = findById(sourceId + "/" + idOrName);
        return h != null ? h : HostView.<HostView>find("sourceId = ?1 and name = ?2", sourceId, idOrName)
                .firstResult();
    }
}
