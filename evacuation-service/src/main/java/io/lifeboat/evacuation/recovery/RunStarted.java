package io.lifeboat.evacuation.recovery;

import java.util.UUID;

/**
 * A run became RUNNING; observed after its transaction commits: the engine starts it at once, and the failover
 * forecast reads the capacity for its prediction.
 */
public record RunStarted(UUID runId, String sourceId, String hostKey, String platform, RecoveryRun.Kind kind) {
}
