package io.lifeboat.simulator.openstack;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Cinder volume on the SVC backend: the vdisk is {@code volume-<id>} and its UID is in metadata
 * {@code volume_wwn} (wire-formats.md C.2).
 */
public final class CinderVolume {
    public final String id;
    public final String name;
    public final int sizeGb;
    public final String projectId;
    public final String backendHost;
    public final Map<String, String> metadata = new LinkedHashMap<>();
    public final boolean multiattach;

    public String status = "available";
    public String serverId;
    public String attachmentId;
    public String attachedHost;
    public String device;
    public Instant attachedAt;

    public CinderVolume(String id, String name, int sizeGb, String projectId, String backendHost, String volumeWwn,
                        boolean multiattach) {
        this.id = id;
        this.name = name;
        this.sizeGb = sizeGb;
        this.projectId = projectId;
        this.backendHost = backendHost;
        this.multiattach = multiattach;
        if (volumeWwn != null) {
            metadata.put("volume_wwn", volumeWwn);
        }
    }
}
