package io.lifeboat.evacuation.recovery;

import java.util.List;
import java.util.UUID;

/**
 * A host run's instance list was just decided, before its first move (a CDI event, observed synchronously: the failover
 * forecast records its prediction from the capacity the cloud shows now, before the moves consume it).
 */
public record InstanceListPrepared(UUID runId, String sourceId, String hostKey, String platform,
                                   List<PlannedMove> plan) {
}
