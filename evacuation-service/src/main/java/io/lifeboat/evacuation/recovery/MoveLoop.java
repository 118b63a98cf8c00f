package io.lifeboat.evacuation.recovery;

import io.lifeboat.common.recovery.MoveState;
import io.lifeboat.evacuation.config.EvacuationConfig;
import io.lifeboat.cloud.CloudCallException;
import io.lifeboat.evacuation.platform.Platforms;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** Runs a step's moves with one {@link Mover}, a bounded number of cloud calls at a time. */
@ApplicationScoped
class MoveLoop {

    private static final Logger LOG = Logger.getLogger(MoveLoop.class);
    private static final long REREAD_NANOS = 250_000_000L;

    @Inject
    EvacuationConfig config;

    @Inject
    Platforms platforms;

    @Inject
    MoveTransitions moves;

    @Inject
    StepLog steps;

    /**
     * Moves the run's instances. {@code concurrency} bounds the cloud calls in flight, not the instances: an
     * evacuate call is one short task, and each instance in flight is then checked with one read per poll interval,
     * also as a short task. {@code max-in-flight} (0: no limit) bounds the instances rebuilding at once.
     */
    boolean run(RecoveryRun run, Step.Attempt attempt, Mover mover) {
        EvacuationConfig.Source src = platforms.require(run.sourceId);
        int concurrency = Math.max(1, src.concurrency());
        // Twice as many tasks as calls: a task's database work (marking its move ONGOING, recording the answer) does
        // not hold one of the `concurrency` permits, so the next call goes out as soon as one is answered.
        int workers = 2 * concurrency;
        Semaphore callPermits = new Semaphore(concurrency);
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "lifeboat-move");
            t.setDaemon(true);
            return t;
        });
        Set<Long> busy = ConcurrentHashMap.newKeySet();
        Map<Long, Instant> nextCheck = new ConcurrentHashMap<>();
        Semaphore wake = new Semaphore(0);   // a task ended: a slot is free and a move may have changed
        Mover.Context context = new Mover.Context(run, src, ConcurrentHashMap.newKeySet(),
                ConcurrentHashMap.newKeySet(), callPermits);
        long lastClaim = System.nanoTime();
        List<OpenMove> open = null;
        long readAt = 0;
        Set<Long> begun = new java.util.HashSet<>();   // started since the last read
        Set<Long> beginning = ConcurrentHashMap.newKeySet();   // start tasks not yet ended
        try {
            while (!attempt.stopping().getAsBoolean()) {
                if (System.nanoTime() - lastClaim > config.runLease().toNanos() / 3) {
                    if (!attempt.renew().getAsBoolean()) {
                        return false;
                    }
                    steps.noteProgress(attempt.id(), steps.progress(run.id));
                    lastClaim = System.nanoTime();
                }
                Instant now = Instant.now();
                // Read again when nothing is left to start from the last read, when it is a quarter of a second
                // old, or when no task is running; else start from it (a stale move marks nothing, see OpenMove).
                if (open == null || busy.isEmpty() || System.nanoTime() - readAt > REREAD_NANOS
                        || !startable(open, begun, now)) {
                    open = moves.openMoveStates(run.id);
                    readAt = System.nanoTime();
                    begun.clear();
                    if (open.isEmpty() && busy.isEmpty()) {
                        return true;
                    }
                }
                long ongoing = open.stream().filter(m -> m.state() == MoveState.ONGOING).count() + begun.size();
                // Starts first (in the run's order), then checks: the calls go out as early as they can.
                for (OpenMove m : open) {
                    if (busy.size() >= workers) {
                        break;
                    }
                    boolean due = m.notBefore() == null || !m.notBefore().isAfter(now);
                    boolean room = src.maxInFlight() <= 0 || ongoing < src.maxInFlight();
                    if (m.state() == MoveState.PENDING && due && room && !begun.contains(m.id())
                            && busy.add(m.id())) {
                        begun.add(m.id());
                        ongoing++;
                        long id = m.id();
                        beginning.add(id);
                        pool.submit(() -> task(run, src, id, true, busy, nextCheck, wake, () -> {
                            try {
                                if (mover.begin(context, m)) {
                                    nextCheck.put(id, Instant.now().plus(src.pollInterval()));
                                }
                            } finally {
                                beginning.remove(id);
                            }
                        }));
                    }
                }
                for (OpenMove m : open) {
                    // Checks take the permits the starts leave: a call waiting to go out goes first.
                    if (busy.size() >= workers || beginning.size() >= concurrency) {
                        break;
                    }
                    if (m.state() == MoveState.ONGOING && !nextCheck.getOrDefault(m.id(), now).isAfter(now)
                            && busy.add(m.id())) {
                        long id = m.id();
                        pool.submit(() -> task(run, src, id, false, busy, nextCheck, wake, () -> context.call(() -> {
                            if (!mover.check(context, id)) {
                                nextCheck.put(id, Instant.now().plus(src.pollInterval()));
                            }
                        })));
                    }
                }
                if (!sleepUntilDue(open, busy, nextCheck, workers, src, wake)) {
                    return false;
                }
            }
            return false;
        } finally {
            pool.shutdownNow();
            try {
                pool.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether the last read still has a move to start now that was not started since. */
    private static boolean startable(List<OpenMove> open, Set<Long> begun, Instant now) {
        for (OpenMove m : open) {
            if (m.state() == MoveState.PENDING && !begun.contains(m.id())
                    && (m.notBefore() == null || !m.notBefore().isAfter(now))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Waits, without reading the database, until a task ends (a slot frees, a move changed) or the next move falls
     * due (a retry's backoff ends, a check's poll interval passes), at most one poll interval (a storage run gains
     * moves from outside). False when interrupted: the service is stopping.
     */
    private static boolean sleepUntilDue(List<OpenMove> open, Set<Long> busy, Map<Long, Instant> nextCheck,
                                         int workers, EvacuationConfig.Source src, Semaphore wake) {
        Instant now = Instant.now();
        Instant due = now.plus(src.pollInterval());
        if (busy.size() < workers) {
            for (OpenMove m : open) {
                if (busy.contains(m.id())) {
                    continue;
                }
                Instant at = m.state() == MoveState.PENDING ? m.notBefore() : nextCheck.get(m.id());
                if (at != null && at.isAfter(now) && at.isBefore(due)) {
                    due = at;
                }
            }
        }
        try {
            if (wake.tryAcquire(Math.max(1, Duration.between(now, due).toMillis()), TimeUnit.MILLISECONDS)) {
                wake.drainPermits();
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Runs one short task of a move. A failed check leaves the move as it is, to be checked again after the poll
     * interval; a failure before a move's call (reading the VM, enabling the reserved host) is a try without effect,
     * retried after a backoff and bounded ({@link #retryLater}).
     */
    private void task(RecoveryRun run, EvacuationConfig.Source src, long moveId, boolean beginning, Set<Long> busy,
                      Map<Long, Instant> nextCheck, Semaphore wake, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            if (e instanceof CloudCallException) {
                LOG.debugf("run %s move %d: %s", run.id, moveId, e.getMessage());
            } else {
                LOG.warnf(e, "run %s move %d failed unexpectedly", run.id, moveId);
            }
            nextCheck.put(moveId, Instant.now().plus(src.pollInterval()));
            if (beginning) {
                try {
                    moves.retryLater(run, src, moveId, MoveState.PENDING, "failed before its call: " + e.getMessage());
                } catch (RuntimeException again) {
                    LOG.warnf("run %s move %d: could not record the failure: %s", run.id, moveId, again.getMessage());
                }
            }
        } finally {
            busy.remove(moveId);
            wake.release();
        }
    }
}
