package io.lifeboat.evacuation.recovery;

import io.lifeboat.evacuation.config.EvacuationConfig;

import io.lifeboat.cloud.CloudCallException;

import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * One kind of move (Nova evacuate, oVirt start, oVirt migrate) as two short tasks, each run on its own: {@code begin}
 * makes the move's cloud call once, with the move marked ONGOING before it; {@code check} looks once at where the
 * instance is. State changes go through {@link MoveTransitions}; the step that runs the moves decides when to call.
 */
interface Mover {

    /**
     * Starts a PENDING move, as the move loop last read it; true when it is now ONGOING (its call made, or unanswered
     * and to be checked).
     */
    boolean begin(Context c, OpenMove move);

    /** Checks an ONGOING move once; true when it is settled (succeeded, failed, or back to PENDING). */
    boolean check(Context c, long moveId);

    /**
     * One step's moves: its run and source, the reserved hosts already enabled, the moves whose call was accepted
     * during this step (a check then knows the call reached the cloud), and the permits that bound its cloud calls in
     * flight to the source's {@code concurrency}.
     */
    record Context(RecoveryRun run, EvacuationConfig.Source src, Set<String> enabledReserved, Set<Long> accepted,
                   Semaphore callPermits) {

        /**
         * Runs cloud calls within the step's {@code concurrency}: waits for one of its permits. Interrupted (the
         * service stops) before the call, it throws without calling: a move already marked ONGOING is then checked,
         * never called blindly.
         */
        void call(Runnable calls) {
            call(() -> {
                calls.run();
                return null;
            });
        }

        /** {@link #call(Runnable)} with a result. */
        <T> T call(Supplier<T> calls) {
            try {
                callPermits.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CloudCallException("not sent: the service is stopping", CloudCallException.NOT_SENT, e);
            }
            try {
                return calls.get();
            } finally {
                callPermits.release();
            }
        }
    }
}
