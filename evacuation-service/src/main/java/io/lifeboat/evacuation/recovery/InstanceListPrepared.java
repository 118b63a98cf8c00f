package io.lifeboat.evacuation.recovery;

import io.lifeboat.evacuation.platform.openstack.NovaApi;

import java.util.List;
import java.util.UUID;

/**
 * A host run's instance list was just decided, before its first move (a CDI event, observed synchronously: the failover
 * forecast records its prediction from the capacity the cloud showed before the moves consume it).
 *
 * @param servers on OpenStack, the failed host's servers as the list was decided from them (their flavors are what
 *                the prediction places); null on oVirt
 */
public record InstanceListPrepared(UUID runId, String sourceId, String hostKey, String platform,
                                   List<PlannedMove> plan, List<NovaApi.Server> servers) {
}
