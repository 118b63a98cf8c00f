package io.lifeboat.evacuation.recovery;

import io.lifeboat.common.recovery.RecoveryStep;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;

/**
 * An attempt of a step begun beside the step before it in its flow ({@link RecoveryFlows.Flow#beside}), on a thread
 * of its own, recorded like any other attempt. The engine always waits for it before the run moves on, retries or
 * stops: no step of a run is left running behind it. Failed or stopped, the step is run again in its turn.
 */
final class BesideStep {

    /** How an attempt begun beside ended, and why when it was not done. */
    record Ending(StepAttempt.Outcome outcome, String detail) {
    }

    final RecoveryStep step;
    final long attempt;
    private final Future<Boolean> result;

    private BesideStep(RecoveryStep step, long attempt, Future<Boolean> result) {
        this.step = step;
        this.attempt = attempt;
        this.result = result;
    }

    /** Begins an attempt of {@code step} on one of {@code threads}; null when none is free (it then runs in turn). */
    static BesideStep begin(ExecutorService threads, StepLog log, Step step, RecoveryRun run,
                            java.util.function.LongFunction<Step.Attempt> attempt) {
        long id = log.beginStep(run.id, step.name());
        try {
            return new BesideStep(step.name(), id, threads.submit(() -> step.run(run, attempt.apply(id))));
        } catch (RejectedExecutionException e) {
            log.endStep(id, StepAttempt.Outcome.STOPPED, "not begun beside the step before it: no thread was free;"
                    + " it runs in its turn");
            return null;
        }
    }

    /** Waits for the attempt to end. */
    Ending await() {
        try {
            return result.get() ? new Ending(StepAttempt.Outcome.DONE, null)
                    : new Ending(StepAttempt.Outcome.STOPPED, "stopped: this replica lost the run's lease or is"
                    + " shutting down; the run goes on");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return new Ending(StepAttempt.Outcome.FAILED, cause.getMessage() == null ? cause.toString()
                    : cause.getMessage());
        } catch (InterruptedException e) {
            result.cancel(true);
            Thread.currentThread().interrupt();
            return new Ending(StepAttempt.Outcome.STOPPED, "stopped: the service is shutting down");
        }
    }
}
