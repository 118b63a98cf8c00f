package io.lifeboat.common.failure;

import io.lifeboat.common.Require;
import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.id.SourceId;

import java.time.Instant;
import java.util.List;

/**
 * Too many of a source's hosts look down at once: a network partition, not host failures. Nothing is recovered until
 * an operator decides (peers.md: RHOSO InstanceHA aborts above 50 %).
 */
public record PartitionSuspected(SourceId source, int hostsTotal, int hostsSuspected, double thresholdShare,
                                 List<HostKey> suspectedHosts, Instant at) {

    public static final String TYPE = "lifeboat.host-failure.partition-suspected.v1";

    public PartitionSuspected {
        Require.field(source, "source");
        Require.nonNegative(hostsTotal, "hostsTotal");
        Require.nonNegative(hostsSuspected, "hostsSuspected");
        suspectedHosts = Require.list(suspectedHosts);
        Require.field(at, "at");
    }
}
