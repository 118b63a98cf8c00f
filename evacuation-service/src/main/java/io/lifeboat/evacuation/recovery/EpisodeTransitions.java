package io.lifeboat.evacuation.recovery;

import io.lifeboat.common.failure.HostFailurePhase;
import io.lifeboat.evacuation.episode.HostFailure;

import java.time.Duration;
import java.time.Instant;

/**
 * What a run tells its episode, as the run's state changes: the only way recovery reaches the failure lifecycle
 * (which implements it), so that {@code failure} depends on {@code recovery} and never the other way. Each is called
 * in the caller's transaction.
 */
public interface EpisodeTransitions {

    /** The recovery run started. */
    void markRecovering(HostFailure f, String actor, Instant now);

    /** The recovery waits for an operator. */
    void awaitApproval(HostFailure f, String actor, String reason, Instant now);

    /** The run ended: RECOVERED or PARTIALLY_RECOVERED. */
    void recovered(HostFailure f, HostFailurePhase phase, String actor, String reason, Instant now);

    /** A milestone of the episode: time from its first evidence. */
    void timer(String milestone, HostFailure f, Duration d);
}
