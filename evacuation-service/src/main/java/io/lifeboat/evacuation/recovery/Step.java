package io.lifeboat.evacuation.recovery;

import io.lifeboat.common.recovery.RecoveryStep;

import java.util.function.BooleanSupplier;

/**
 * One named step of a recovery run (Masakari's tasks). Which steps a run has, and in which order, is the flow table's
 * ({@link RecoveryFlows}), never a step's. A step that fails throws ({@code CloudCallException},
 * {@code IllegalStateException}); the engine retries it with a backoff, a bounded number of times.
 */
interface Step {

    RecoveryStep name();

    /** Runs the step once; true when it is done, false when it stopped (the lease is lost or the service stops). */
    boolean run(RecoveryRun run, Attempt attempt);

    /**
     * Called when a run starts for each of its steps still to come: a step whose reads do not depend on the steps
     * before it may start them now, so that they go on while those steps (fencing, force-down) do. Reads only.
     */
    default void readAhead(RecoveryRun run) {
    }

    /**
     * The attempt being made: its id (for progress lines), whether the service is stopping, and {@code renew}, which
     * a long step calls now and then: it renews the run's lease and checks its deadline (false: stop).
     */
    record Attempt(long id, BooleanSupplier stopping, BooleanSupplier renew) {
    }
}
