package io.lifeboat.evacuation.view;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;

/** A VM as the collector last published it, with the last host it was seen on. */
@Entity
@Table(name = "vm_view")
public class VmView extends PanacheEntityBase {

    @Id
    @Column(name = "vm_key")
    public String vmKey;

    @Column(name = "source_id", nullable = false)
    public String sourceId;

    @Column(name = "vm_id", nullable = false)
    public String vmId;

    @Column(nullable = false)
    public String name;

    @Column(name = "cluster_id")
    public String clusterId;

    @Column(name = "host_key")
    public String hostKey;

    @Column(name = "last_host_key")
    public String lastHostKey;

    @Column(name = "running_host_key")
    public String runningHostKey;

    @Column(name = "down_since")
    public Instant downSince;

    @Column(name = "moved_from_host_key")
    public String movedFromHostKey;

    @Column(name = "moved_at")
    public Instant movedAt;

    @Column(nullable = false)
    public String status;

    /** oVirt {@code status_detail}, e.g. {@code eio}: paused on a storage I/O error. */
    @Column(name = "status_detail")
    public String statusDetail;

    public boolean pausedOnStorageError() {
        return "PAUSED".equals(status) && "eio".equals(statusDetail);
    }

    @Column(name = "ha_enabled", nullable = false)
    public boolean haEnabled;

    @Column(name = "ha_priority", nullable = false)
    public int haPriority;

    @Column(nullable = false)
    public boolean removed;

    @Column(name = "observed_at", nullable = false)
    public Instant observedAt;

    /**
     * Fills the source's VM views (not removed) by VM id; true when any of them is tagged evacuable (what the
     * evacuable rule's {@code auto} reads). In the caller's transaction.
     */
    public static boolean ofSource(String sourceId, java.util.Map<String, VmView> out) {
        boolean any = false;
        for (VmView v : VmView.<VmView>list("sourceId = ?1 and removed = false", sourceId)) {
            out.put(v.vmId, v);
            any |= v.haEnabled;
        }
        return any;
    }

    /** Fills the views (not removed) of the given VMs of a source by VM id. In the caller's transaction. */
    public static void ofVms(String sourceId, java.util.Collection<String> vmIds, java.util.Map<String, VmView> out) {
        List<String> keys = vmIds.stream().map(id -> sourceId + "/" + id).toList();
        for (int i = 0; i < keys.size(); i += 1000) {
            for (VmView v : VmView.<VmView>list("vmKey in ?1 and removed = false",
                    keys.subList(i, Math.min(keys.size(), i + 1000)))) {
                out.put(v.vmId, v);
            }
        }
    }

    /**
     * VMs that were on the host: running there, down with that as their last host, or moved away from it since the
     * given time (restarted elsewhere after it failed).
     */
    public static List<VmView> lastOn(String hostKey, Instant movedSince) {
        return list("(lastHostKey = ?1 or runningHostKey = ?1 or (movedFromHostKey = ?1 and movedAt >= ?2))"
                + " and removed = false", hostKey, movedSince);
    }
}
