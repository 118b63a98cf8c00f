package io.lifeboat.mapping.rest;

import io.lifeboat.mapping.lineage.VmDiskInterval;
import io.lifeboat.mapping.lineage.VmInterval;

import java.time.Instant;
import java.util.List;

/** What the mapping API returns. */
public final class MappingViews {

    private MappingViews() {
    }

    /** A VM's placement and attributes during one interval. */
    public record Placement(String vmKey, String vmName, String hostKey, String hostName, String clusterName,
                            String status, String platformStatus, String statusDetail, String deletionState,
                            String ipAddresses, Integer vcpus, Long memoryBytes, Instant since, Instant until,
                            Instant lastSeenAt) {
        static Placement of(VmInterval i) {
            return new Placement(i.vmKey, i.vmName, i.hostKey, i.hostName, i.clusterName, i.status, i.platformStatus,
                    i.statusDetail, i.deletionState, i.ipAddresses, i.vcpus, i.memoryBytes, i.validFrom, i.validTo,
                    i.lastSeenAt);
        }
    }

    /** A VM's disk during one interval. */
    public record Disk(String vmKey, String diskId, String diskName, Long sizeBytes, String iface, String storageType,
                       String lunId, String lunWwid, Instant since, Instant until) {
        static Disk of(VmDiskInterval d) {
            return new Disk(d.vmKey, d.diskId, d.diskName, d.sizeBytes, d.iface, d.storageType, d.lunId, d.lunWwid,
                    d.validFrom, d.validTo);
        }
    }

    /**
     * A VM's lineage: where it ran and which disks and LUNs it had, newest first, a page of each; {@code nextCursor}
     * is the {@code after} of the next page, null on the last.
     */
    public record Lineage(String vmKey, List<Placement> placements, List<Disk> disks, String nextCursor) {
    }

    /** A LUN in use: which VM had it, on which host, when. */
    public record LunUse(String lunWwid, String svcVdiskUid, String vmKey, String vmName, String diskId,
                         String hostKey, String hostName, Instant since, Instant until, String storageDomain) {
        /** A VM's disk on a host (storageDomain null). */
        LunUse(String lunWwid, String svcVdiskUid, String vmKey, String vmName, String diskId, String hostKey,
               String hostName, Instant since, Instant until) {
            this(lunWwid, svcVdiskUid, vmKey, vmName, diskId, hostKey, hostName, since, until, null);
        }
    }

    /** A search hit: kind vm, host or lun. */
    public record Hit(String kind, String key, String name, String detail) {
    }
}
