package io.lifeboat.mapping.rest;

import io.lifeboat.mapping.lineage.HostInterval;

import java.time.Instant;

/** A host's state during one interval, as the API shows it. */
public record HostView(String hostKey, String source, String name, String clusterId, String clusterName,
                       String status, String platformStatus, Instant since, Instant until, Instant lastSeenAt) {

    static HostView of(HostInterval i) {
        return new HostView(i.hostKey, i.sourceId, i.hostName, i.clusterId, i.clusterName, i.status,
                i.platformStatus, i.validFrom, i.validTo, i.lastSeenAt);
    }
}
