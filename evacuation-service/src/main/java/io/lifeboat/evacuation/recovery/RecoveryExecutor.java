package io.lifeboat.evacuation.recovery;

import io.lifeboat.common.recovery.RecoveryRunState;
import io.lifeboat.common.recovery.RecoveryStep;
import io.lifeboat.evacuation.config.EvacuationConfig;
import io.lifeboat.cloud.CloudCallException;
import io.lifeboat.cloud.CloudCalls;
import io.lifeboat.evacuation.platform.Platforms;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The recovery engine: claims RUNNING runs (a lease per run, so that two replicas never run the same one) and walks
 * each through the steps of its flow ({@link RecoveryFlows}), one {@link Step} at a time, each attempt recorded
 * ({@link StepLog}), a failing step retried with a backoff a bounded number of times, the whole run bounded by its
 * deadline. Every step is persisted before the next starts, so a restarted service, or another replica once this
 * one's lease has lapsed, resumes a run where it stopped. A move is marked ONGOING before its cloud call and is
 * checked, never called blindly, after a crash: no instance is evacuated twice.
 */
@ApplicationScoped
public class RecoveryExecutor {

    private static final Logger LOG = Logger.getLogger(RecoveryExecutor.class);

    @Inject
    EvacuationConfig config;

    @Inject
    Platforms platforms;

    @Inject
    StepLog stepLog;

    @Inject
    RunRecords records;

    @Inject
    MoveTransitions moves;

    @Inject
    Instance<Step> allSteps;

    private final Map<RecoveryStep, Step> steps = new EnumMap<>(RecoveryStep.class);

    private ExecutorService runThreads;
    private ExecutorService besideThreads;
    private final Set<UUID> executing = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    @PostConstruct
    void init() {
        // Bounded: a run beyond max-concurrent-runs is refused here and waits for a later tick, unclaimed.
        runThreads = BoundedThreads.of("lifeboat-recovery-run-", config.maxConcurrentRuns(), 0);
        // One step begun beside another at a time per run.
        besideThreads = BoundedThreads.of("lifeboat-recovery-beside-", config.maxConcurrentRuns(), 0);
        indexSteps();
    }

    private void indexSteps() {
        allSteps.forEach(s -> steps.put(s.name(), s));
        for (RecoveryStep s : RecoveryStep.values()) {
            if (!steps.containsKey(s)) {
                throw new IllegalStateException("no step implements " + s);
            }
        }
    }

    void onStop(@Observes ShutdownEvent e) {
        stopping = true;
        runThreads.shutdownNow();
        besideThreads.shutdownNow();
    }

    @Scheduled(every = "${lifeboat.evacuation.tick:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            delayed = "2s")
    void tick() {
        if (stopping) {
            return;
        }
        for (UUID id : records.claimable()) {
            submit(id);
        }
    }

    /** A run that has just become RUNNING starts now, not at the next tick (up to a second later). */
    void started(@Observes(during = TransactionPhase.AFTER_SUCCESS) RunStarted e) {
        if (!stopping) {
            submit(e.runId());
        }
    }

    private void submit(UUID id) {
        if (!executing.add(id)) {
            return;
        }
        try {
            runThreads.execute(() -> {
                try {
                    execute(id);
                } catch (RuntimeException e) {
                    LOG.warnf(e, "run %s: execution stopped", id);
                } finally {
                    executing.remove(id);
                }
            });
        } catch (RejectedExecutionException e) {
            executing.remove(id);
            LOG.warnf("run %s waits: this replica already executes %d runs (max-concurrent-runs)", id,
                    config.maxConcurrentRuns());
        }
    }

    // ------------------------------------------------------------------ the steps

    void execute(UUID id) {
        int failures = 0;
        RecoveryStep failing = null;
        Set<RecoveryStep> doneBeside = EnumSet.noneOf(RecoveryStep.class);
        boolean readingAhead = false;
        RecoveryRun run = stopping ? null : records.claimAndRead(id);
        long attempt = -1;   // the attempt already begun for the run's step, or -1
        while (!stopping && run != null) {
            RecoveryFlows.Flow flow = RecoveryFlows.of(run.platform, run.kind);
            RecoveryStep step = run.step == null ? flow.first() : run.step;
            if (pastDeadline(run)) {
                if (attempt >= 0) {
                    stepLog.endStep(attempt, StepAttempt.Outcome.STOPPED, "not run: the run's deadline passed");
                }
                return;
            }
            if (!readingAhead) {
                readingAhead = true;
                for (RecoveryStep later : flow.afterAll(step)) {
                    steps.get(later).readAhead(run);
                }
            }
            if (attempt < 0) {
                attempt = stepLog.beginStep(id, step);
            }
            RecoveryStep besideStep = flow.besideOf(step);
            BesideStep beside = besideStep == null || doneBeside.contains(besideStep) ? null
                    : BesideStep.begin(besideThreads, stepLog, steps.get(besideStep), run, a -> attempt(id, a));
            try {
                boolean ran;
                try {
                    ran = steps.get(step).run(run, attempt(id, attempt));
                } finally {
                    if (beside != null && ended(id, beside)) {
                        doneBeside.add(beside.step);
                    }
                }
                if (!ran) {
                    RecoveryRun now = records.read(id);
                    stepLog.endStep(attempt, StepAttempt.Outcome.STOPPED, now.state == RecoveryRunState.RUNNING
                            ? "stopped: this replica lost the run's lease or is shutting down; the run goes on"
                            : "stopped: the run is " + now.state + (now.detail == null ? "" : " (" + now.detail + ")"));
                    return;
                }
                RecoveryStep next = after(flow, step, id);
                if (next != null && doneBeside.contains(next)) {
                    next = after(flow, next, id);   // done beside this step
                }
                if (next == null) {
                    stepLog.endStep(attempt, StepAttempt.Outcome.DONE, stepLog.progress(id));
                    records.finish(id);
                    return;
                }
                RunRecords.Continued c = records.stepDone(id, attempt, step == RecoveryStep.PREPARE_INSTANCE_LIST
                        || next == RecoveryStep.VERIFY, step, next);
                run = c == null ? null : c.run();
                attempt = c == null ? -1 : c.attempt();
                failures = 0;
            } catch (CloudCallException | IllegalStateException e) {
                stepLog.endStep(attempt, StepAttempt.Outcome.FAILED, e.getMessage());
                failures = step == failing ? failures + 1 : 1;
                failing = step;
                RunLimits limits = limits(run);
                Optional<Duration> wait = limits.retryAfter(failures);
                if (wait.isEmpty()) {
                    LOG.errorf("run %s: step %s failed %d times, giving up: %s", id, step, failures, e.getMessage());
                    records.giveUp(id, "step " + step + " failed " + failures + " times; last: " + e.getMessage());
                    return;
                }
                LOG.warnf("run %s: step %s failed (%d of %d), will retry: %s", id, step, failures,
                        limits.stepAttempts(), e.getMessage());
                records.advance(id, step, step, "step " + step + " failed (" + failures + " of " + limits.stepAttempts()
                        + "), retrying: " + e.getMessage());
                long ms = wait.get().toMillis();
                CloudCalls.sleep(ms + ThreadLocalRandom.current().nextLong(ms / 4 + 1));   // jitter: replicas apart
                run = stopping ? null : records.claimAndRead(id);
                attempt = -1;
            }
        }
    }

    /** The step after {@code step}; whether moves are open is read only where the flow asks it (after VERIFY). */
    private RecoveryStep after(RecoveryFlows.Flow flow, RecoveryStep step, UUID id) {
        return flow.after(step, step == RecoveryStep.VERIFY && !moves.openMoveStates(id).isEmpty());
    }

    private Step.Attempt attempt(UUID id, long attempt) {
        return new Step.Attempt(attempt, () -> stopping, () -> records.claim(id) && !pastDeadline(records.read(id)));
    }

    /** Waits for a step begun beside and records how it ended; true when it is done. */
    private boolean ended(UUID id, BesideStep beside) {
        BesideStep.Ending e = beside.await();
        boolean done = e.outcome() == StepAttempt.Outcome.DONE;
        stepLog.endStep(beside.attempt, e.outcome(), done ? stepLog.progress(id) : e.detail());
        return done;
    }

    private RunLimits limits(RecoveryRun run) {
        return RunLimits.of(platforms.source(run.sourceId));
    }

    /** A run past its deadline ends FAILED (see {@link #giveUp}); true when it did. */
    private boolean pastDeadline(RecoveryRun run) {
        RunLimits limits = limits(run);
        if (!limits.pastDeadline(run.startedAt != null ? run.startedAt : run.createdAt, Instant.now())) {
            return false;
        }
        LOG.errorf("run %s: deadline of %d s passed, giving up", run.id, limits.deadline().toSeconds());
        records.giveUp(run.id, "the run's deadline of " + limits.deadline().toSeconds() + " s passed");
        return true;
    }

}
