package io.lifeboat.evacuation.recovery;

import io.lifeboat.common.recovery.MoveState;
import io.lifeboat.common.recovery.RecoveryRunState;
import io.lifeboat.common.recovery.RecoveryStep;
import io.lifeboat.evacuation.audit.AuditLog;
import io.lifeboat.evacuation.config.EvacuationConfig;
import io.lifeboat.cloud.CloudCallException;
import io.lifeboat.cloud.CloudCalls;
import io.lifeboat.evacuation.platform.Platforms;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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
    RecoveryRuns runs;

    @Inject
    AuditLog audit;

    @Inject
    EntityManager em;

    @Inject
    MeterRegistry metrics;

    @Inject
    StepLog stepLog;

    @Inject
    MoveTransitions moves;

    @Inject
    Instance<Step> allSteps;

    private final Map<RecoveryStep, Step> steps = new EnumMap<>(RecoveryStep.class);

    private ExecutorService runThreads;
    private final Set<UUID> executing = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;
    private String me;

    String me() {
        if (me == null) {
            me = config.instanceName().orElseGet(() -> {
                String host = System.getenv().getOrDefault("HOSTNAME", "localhost");
                return host + "-" + ProcessHandle.current().pid();
            });
        }
        return me;
    }

    @PostConstruct
    void init() {
        AtomicInteger n = new AtomicInteger();
        // Bounded: a run beyond max-concurrent-runs is refused here and waits for a later tick, unclaimed.
        runThreads = new ThreadPoolExecutor(0, config.maxConcurrentRuns(), 60, TimeUnit.SECONDS,
                new SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, "lifeboat-recovery-run-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
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
    }

    @Scheduled(every = "${lifeboat.evacuation.tick:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            delayed = "2s")
    void tick() {
        if (stopping) {
            return;
        }
        for (UUID id : claimable()) {
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

    @Transactional
    List<UUID> claimable() {
        return em.createQuery("select r.id from RecoveryRun r where r.state = :running and (r.leaseUntil is null or"
                        + " r.leaseUntil < :now or r.leaseOwner = :me) order by r.createdAt", UUID.class)
                .setParameter("running", RecoveryRunState.RUNNING).setParameter("now", Instant.now())
                .setParameter("me", me()).getResultList();
    }

    /** Takes or renews this replica's lease on the run; false when another replica holds it or it stopped. */
    @Transactional
    boolean claim(UUID id) {
        Instant now = Instant.now();
        return em.createQuery("update RecoveryRun r set r.leaseOwner = :me, r.leaseUntil = :until where r.id = :id"
                        + " and r.state = :running and (r.leaseUntil is null or r.leaseUntil < :now or"
                        + " r.leaseOwner = :me)")
                .setParameter("me", me()).setParameter("until", now.plus(config.runLease()))
                .setParameter("id", id).setParameter("running", RecoveryRunState.RUNNING)
                .setParameter("now", now).executeUpdate() == 1;
    }

    // ------------------------------------------------------------------ the steps

    void execute(UUID id) {
        int failures = 0;
        RecoveryStep failing = null;
        boolean readingAhead = false;
        while (!stopping && claim(id)) {
            RecoveryRun run = read(id);
            RecoveryFlows.Flow flow = RecoveryFlows.of(run.platform, run.kind);
            RecoveryStep step = run.step == null ? flow.first() : run.step;
            if (pastDeadline(run)) {
                return;
            }
            if (!readingAhead) {
                readingAhead = true;
                for (RecoveryStep later : flow.afterAll(step)) {
                    steps.get(later).readAhead(run);
                }
            }
            long attempt = stepLog.beginStep(id, step);
            try {
                if (!steps.get(step).run(run, new Step.Attempt(attempt, () -> stopping,
                        () -> claim(id) && !pastDeadline(read(id))))) {
                    RecoveryRun now = read(id);
                    stepLog.endStep(attempt, StepAttempt.Outcome.STOPPED, now.state == RecoveryRunState.RUNNING
                            ? "stopped: this replica lost the run's lease or is shutting down; the run goes on"
                            : "stopped: the run is " + now.state + (now.detail == null ? "" : " (" + now.detail + ")"));
                    return;
                }
                RecoveryStep next = flow.after(step, !moves.openMoves(id).isEmpty());
                if (next == null) {
                    stepLog.endStep(attempt, StepAttempt.Outcome.DONE, stepLog.progress(id));
                    finish(id);
                    return;
                }
                stepLog.endStep(attempt, StepAttempt.Outcome.DONE, step == RecoveryStep.PREPARE_INSTANCE_LIST
                        || next == RecoveryStep.VERIFY ? stepLog.progress(id) : null);
                advance(id, step, next, null);
                failures = 0;
            } catch (CloudCallException | IllegalStateException e) {
                stepLog.endStep(attempt, StepAttempt.Outcome.FAILED, e.getMessage());
                failures = step == failing ? failures + 1 : 1;
                failing = step;
                RunLimits limits = limits(run);
                Optional<Duration> wait = limits.retryAfter(failures);
                if (wait.isEmpty()) {
                    LOG.errorf("run %s: step %s failed %d times, giving up: %s", id, step, failures, e.getMessage());
                    giveUp(id, "step " + step + " failed " + failures + " times; last: " + e.getMessage());
                    return;
                }
                LOG.warnf("run %s: step %s failed (%d of %d), will retry: %s", id, step, failures,
                        limits.stepAttempts(), e.getMessage());
                advance(id, step, step, "step " + step + " failed (" + failures + " of " + limits.stepAttempts()
                        + "), retrying: " + e.getMessage());
                long ms = wait.get().toMillis();
                CloudCalls.sleep(ms + ThreadLocalRandom.current().nextLong(ms / 4 + 1));   // jitter: replicas apart
            }
        }
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
        giveUp(run.id, "the run's deadline of " + limits.deadline().toSeconds() + " s passed");
        return true;
    }

    /**
     * Ends a RUNNING run FAILED, bounded and honest: every move still open ends FAILED with why (one whose call was
     * in flight is named unaccounted for, to be checked), and the episode goes to PARTIALLY_RECOVERED, or back to an
     * operator when nothing was moved. Never RECOVERED while an instance is unaccounted for.
     */
    @Transactional
    void giveUp(UUID id, String why) {
        RecoveryRun run = RecoveryRun.findById(id);
        if (run == null || run.state != RecoveryRunState.RUNNING) {
            return;
        }
        for (InstanceMove m : InstanceMove.<InstanceMove>list("runId = ?1 and state in ?2", id,
                List.of(MoveState.PENDING, MoveState.ONGOING))) {
            moves.end(run, m.id, MoveState.FAILED, null, m.state == MoveState.ONGOING
                    ? "unaccounted for: its " + m.action + " call was in flight when the run ended (" + why
                    + "); check the instance"
                    : "not moved: the run ended (" + why + ")");
        }
        audit.record("system", "give-up-run", id.toString(), false, "FAILED", why);
        metrics.counter("lifeboat.evacuation.runs.given.up", "platform", run.platform).increment();
        runs.finish(run, Instant.now(), why);
    }

    @Transactional
    RecoveryRun read(UUID id) {
        return RecoveryRun.findById(id);
    }

    @Transactional
    void advance(UUID id, RecoveryStep from, RecoveryStep to, String detail) {
        RecoveryRun run = RecoveryRun.findById(id);
        if (run == null || run.state != RecoveryRunState.RUNNING || run.step != from && run.step != null) {
            return;
        }
        boolean changed = run.step != to || !java.util.Objects.equals(run.detail, detail);
        run.step = to;
        run.detail = detail;
        if (changed) {
            runs.publishRun(run);
        }
    }

    @Transactional
    void finish(UUID id) {
        RecoveryRun run = RecoveryRun.findById(id);
        if (run != null && run.state == RecoveryRunState.RUNNING) {
            runs.finish(run, Instant.now());
        }
    }
}
