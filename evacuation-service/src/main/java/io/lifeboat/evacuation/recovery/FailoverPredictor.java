package io.lifeboat.evacuation.recovery;

import java.util.List;
import java.util.Optional;

/**
 * Where a dry run's instances would go, and which would not fit, from the capacity the cloud shows now: the same
 * prediction as the host's failover plan (implemented by the failover forecast; none for oVirt).
 */
public interface FailoverPredictor {

    Optional<List<?>> predict(String sourceId, String hostKey, String platform, List<PlannedMove> plan);
}
