package io.lifeboat.evacuation.recovery;

import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.recovery.MoveState;
import io.lifeboat.common.recovery.RecoveryRunState;
import io.lifeboat.common.recovery.RecoveryStep;
import io.lifeboat.evacuation.audit.AuditLog;
import io.lifeboat.evacuation.config.EvacuationConfig;
import io.lifeboat.evacuation.failure.HostFailure;
import io.lifeboat.evacuation.failure.HostFailureLifecycle;
import io.lifeboat.evacuation.inventory.VmView;
import io.lifeboat.evacuation.platform.CloudCallException;
import io.lifeboat.evacuation.platform.CloudCalls;
import io.lifeboat.evacuation.platform.Platforms;
import io.lifeboat.evacuation.platform.openstack.NovaApi;
import io.lifeboat.evacuation.platform.ovirt.OvirtApi;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Executes recovery runs, step by step (Masakari's flows: disable compute, prepare the instance list, evacuate each).
 * Every step is persisted before the next starts, so a restarted service, or another replica once this one's lease
 * has lapsed, resumes a run where it stopped. A move is marked ONGOING before its cloud call and is checked, never
 * called blindly, after a crash: no instance is evacuated twice.
 */
@ApplicationScoped
public class RecoveryExecutor {

    private static final Logger LOG = Logger.getLogger(RecoveryExecutor.class);
    private static final Set<String> OVIRT_LOST = Set.of("unknown", "not_responding");

    @Inject
    EvacuationConfig config;

    @Inject
    Platforms platforms;

    @Inject
    RecoveryRuns runs;

    @Inject
    HostFailureLifecycle lifecycle;

    @Inject
    AuditLog audit;

    @Inject
    EntityManager em;

    @Inject
    MeterRegistry metrics;

    @Inject
    PausedVmMigrations pausedVms;

    private final ExecutorService runThreads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "lifeboat-recovery-run");
        t.setDaemon(true);
        return t;
    });
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
            if (executing.add(id)) {
                runThreads.submit(() -> {
                    try {
                        execute(id);
                    } catch (RuntimeException e) {
                        LOG.warnf(e, "run %s: execution stopped", id);
                    } finally {
                        executing.remove(id);
                    }
                });
            }
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
        long backoff = 1000;
        int failures = 0;
        RecoveryStep failing = null;
        while (!stopping && claim(id)) {
            RecoveryRun run = read(id);
            RecoveryStep step = run.step == null ? RecoveryStep.FENCE_HOST : run.step;
            if (pastDeadline(run)) {
                return;
            }
            long attempt = beginStep(id, step);
            try {
                RecoveryStep next = switch (step) {
                    case FENCE_HOST -> fenceStep(run);
                    case FORCE_SERVICE_DOWN -> forceDownStep(run);
                    case PREPARE_INSTANCE_LIST -> prepareStep(run);
                    case EVACUATE_INSTANCES, START_VMS, MIGRATE_PAUSED_VMS -> moveStep(run, attempt);
                    // A STORAGE run gains moves while it runs: a VM that paused late is moved before the run ends.
                    case VERIFY -> run.kind == RecoveryRun.Kind.STORAGE && !openMoves(id).isEmpty()
                            ? RecoveryStep.MIGRATE_PAUSED_VMS : null;
                };
                if (next == null && step == RecoveryStep.VERIFY) {
                    endStep(attempt, StepAttempt.Outcome.DONE, progress(id));
                    finish(id);
                    return;
                }
                if (next == null) {
                    RecoveryRun now = read(id);
                    endStep(attempt, StepAttempt.Outcome.STOPPED, now.state == RecoveryRunState.RUNNING
                            ? "stopped: this replica lost the run's lease or is shutting down; the run goes on"
                            : "stopped: the run is " + now.state + (now.detail == null ? "" : " (" + now.detail + ")"));
                    return;
                }
                endStep(attempt, StepAttempt.Outcome.DONE, step == RecoveryStep.PREPARE_INSTANCE_LIST
                        || next == RecoveryStep.VERIFY ? progress(id) : null);
                advance(id, step, next, null);
                backoff = 1000;
                failures = 0;
            } catch (CloudCallException | IllegalStateException e) {
                endStep(attempt, StepAttempt.Outcome.FAILED, e.getMessage());
                failures = step == failing ? failures + 1 : 1;
                failing = step;
                int limit = platforms.source(run.sourceId).map(EvacuationConfig.Source::stepAttempts).orElse(5);
                if (failures >= limit) {
                    LOG.errorf("run %s: step %s failed %d times, giving up: %s", id, step, failures, e.getMessage());
                    giveUp(id, "step " + step + " failed " + failures + " times; last: " + e.getMessage());
                    return;
                }
                LOG.warnf("run %s: step %s failed (%d of %d), will retry: %s", id, step, failures, limit,
                        e.getMessage());
                advance(id, step, step, "step " + step + " failed (" + failures + " of " + limit + "), retrying: "
                        + e.getMessage());
                CloudCalls.sleep(backoff + java.util.concurrent.ThreadLocalRandom.current().nextLong(backoff / 4 + 1));
                backoff = Math.min(backoff * 2, 30_000);
            }
        }
    }

    /** Records the start of an attempt of a step; returns its id. */
    @Transactional
    long beginStep(UUID runId, RecoveryStep step) {
        StepAttempt a = new StepAttempt();
        a.runId = runId;
        a.step = step;
        a.attempt = (int) StepAttempt.count("runId = ?1 and step = ?2", runId, step) + 1;
        a.startedAt = Instant.now();
        a.persist();
        return a.id;
    }

    @Transactional
    void endStep(long attemptId, StepAttempt.Outcome outcome, String detail) {
        StepAttempt a = StepAttempt.findById(attemptId);
        if (a != null && a.endedAt == null) {
            a.endedAt = Instant.now();
            a.outcome = outcome;
            if (detail != null) {
                a.detail = detail.length() > 2000 ? detail.substring(0, 2000) : detail;
            }
        }
    }

    /** The progress line of a step still going (moves: how many are done). */
    @Transactional
    void noteProgress(long attemptId, String detail) {
        StepAttempt a = StepAttempt.findById(attemptId);
        if (a != null && a.endedAt == null && !detail.equals(a.detail)) {
            a.detail = detail;
        }
    }

    /** "7 of 10 moved, 0 failed, 3 skipped, 0 in flight, 0 waiting" for a run's moves. */
    @Transactional
    String progress(UUID runId) {
        List<InstanceMove> moves = InstanceMove.ofRun(runId);
        java.util.function.Function<MoveState, Long> n = st -> moves.stream().filter(m -> m.state == st).count();
        String verb = moves.stream().anyMatch(m -> InstanceMove.START.equals(m.action)) ? "started"
                : moves.stream().anyMatch(m -> InstanceMove.MIGRATE.equals(m.action)) ? "migrated" : "moved";
        return n.apply(MoveState.SUCCEEDED) + " of " + moves.size() + " " + verb + ", " + n.apply(MoveState.FAILED)
                + " failed, " + n.apply(MoveState.SKIPPED) + " skipped, " + n.apply(MoveState.ONGOING)
                + " in flight, " + n.apply(MoveState.PENDING) + " waiting";
    }

    /** A run past its deadline ends FAILED (see {@link #giveUp}); true when it did. */
    private boolean pastDeadline(RecoveryRun run) {
        Duration deadline = platforms.source(run.sourceId).map(EvacuationConfig.Source::runDeadline)
                .orElse(Duration.ofMinutes(30));
        Instant since = run.startedAt != null ? run.startedAt : run.createdAt;
        if (since == null || Instant.now().isBefore(since.plus(deadline))) {
            return false;
        }
        LOG.errorf("run %s: deadline of %d s passed, giving up", run.id, deadline.toSeconds());
        giveUp(run.id, "the run's deadline of " + deadline.toSeconds() + " s passed");
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
            end(run, m.id, MoveState.FAILED, null, m.state == MoveState.ONGOING
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

    /** oVirt: once the host is known off (not by the engine itself), tell the engine, so that it frees the VMs. */
    private RecoveryStep fenceStep(RecoveryRun run) {
        if (isOvirt(run)) {
            HostFailure f = run.episodeId == null ? null : episode(run.episodeId);
            if (f != null && !"ovirt-engine".equals(f.fencedBy)) {
                String hostId = HostKey.parse(run.hostKey).hostId();
                OvirtApi api = platforms.ovirt(run.sourceId);
                OvirtApi.Host h = api.host(hostId).orElse(null);
                if (h != null && !"down".equals(h.status()) && !"up".equals(h.status())) {
                    api.fenceManual(hostId);
                    audit.record("system", "engine-manual-fence", run.hostKey, false, "OK", "host fenced by "
                            + f.fencedBy + "; the engine was told the host is down, so that it frees its VMs");
                }
            }
            return hasMoves(run.id) ? RecoveryStep.START_VMS : RecoveryStep.PREPARE_INSTANCE_LIST;
        }
        return RecoveryStep.FORCE_SERVICE_DOWN;
    }

    /** Nova: force the compute service down and disable it, instead of waiting for it to time out (Masakari: 180 s). */
    private RecoveryStep forceDownStep(RecoveryRun run) {
        String host = HostKey.parse(run.hostKey).hostId();
        NovaApi nova = platforms.nova(run.sourceId);
        Optional<NovaApi.ComputeService> s = nova.computeService(host);
        if (s.isEmpty()) {
            throw new IllegalStateException("Nova has no nova-compute service on " + host);
        }
        if (!Boolean.TRUE.equals(s.get().forcedDown()) || !"disabled".equals(s.get().status())) {
            NovaApi.ComputeService after = nova.forceDown(host, "lifeboat: host failure, fenced; run " + run.id);
            audit.record("system", "force-down", run.hostKey, false, "OK", "forced_down=" + after.forcedDown()
                    + ", status=" + after.status() + ", state=" + after.state());
        }
        return hasMoves(run.id) ? RecoveryStep.EVACUATE_INSTANCES : RecoveryStep.PREPARE_INSTANCE_LIST;
    }

    private RecoveryStep prepareStep(RecoveryRun run) {
        List<PlannedMove> plan = plan(run);
        return storePlan(run.id, plan);
    }

    /** The plan for a host run, read live from the cloud (also what a dry run shows). */
    public List<PlannedMove> plan(RecoveryRun run) {
        String hostId = HostKey.parse(run.hostKey).hostId();
        EvacuationConfig.Source src = platforms.require(run.sourceId);
        if (isOvirt(run)) {
            OvirtApi api = platforms.ovirt(run.sourceId);
            Map<VmView, Optional<OvirtApi.Vm>> candidates = new LinkedHashMap<>();
            Map<String, String> hostNames = new HashMap<>();
            api.hosts().forEach(h -> hostNames.put(h.id(), h.name()));
            Map<String, VmView> known = new LinkedHashMap<>();
            HostFailure ep = run.episodeId == null ? null : episode(run.episodeId);
            Instant since = (ep == null ? Instant.now() : ep.firstSignalAt).minus(RecoveryPlanner.DOWN_WITH_HOST_SLACK);
            for (VmView v : views(run.hostKey, since)) {
                known.put(v.vmId, v);
            }
            for (OvirtApi.Vm live : api.vmsOn(hostId)) {
                known.computeIfAbsent(live.id(), id -> synthetic(run, live));
            }
            for (VmView v : known.values()) {
                candidates.put(v, api.vm(v.vmId));
            }
            HostFailure f = run.episodeId == null ? null : episode(run.episodeId);
            Instant firstSignal = f == null ? Instant.now() : f.firstSignalAt;
            Instant fencedAt = f == null || f.fencedAt == null ? Instant.now() : f.fencedAt;
            return RecoveryPlanner.ovirt(run.sourceId, hostId, candidates, hostNames, firstSignal,
                    fencedAt.plus(src.engineHaWait()), run.targetHost);
        }
        NovaApi nova = platforms.nova(run.sourceId);
        List<NovaApi.Server> servers = nova.serversOn(hostId);
        Map<String, VmView> views = new HashMap<>();
        boolean anyTagged = sourceViews(run.sourceId, views);
        return RecoveryPlanner.openstack(run.sourceId, servers, views, anyTagged, src.evacuable(),
                nova.microversion(), run.targetHost);
    }

    private static VmView synthetic(RecoveryRun run, OvirtApi.Vm live) {
        VmView v = new VmView();
        v.vmKey = run.sourceId + "/" + live.id();
        v.vmId = live.id();
        v.name = live.name();
        v.status = live.status();
        v.haEnabled = live.ha();
        v.haPriority = live.haPriority();
        return v;
    }

    @Transactional
    List<VmView> views(String hostKey, Instant movedSince) {
        return VmView.lastOn(hostKey, movedSince);
    }

    /** Fills the source's VM views by id; true when any of them is tagged evacuable. */
    @Transactional
    boolean sourceViews(String sourceId, Map<String, VmView> out) {
        boolean any = false;
        for (VmView v : VmView.<VmView>list("sourceId = ?1 and removed = false", sourceId)) {
            out.put(v.vmId, v);
            any |= v.haEnabled;
        }
        return any;
    }

    @Transactional
    RecoveryStep storePlan(UUID runId, List<PlannedMove> plan) {
        RecoveryRun run = RecoveryRun.findById(runId);
        if (InstanceMove.count("runId", runId) == 0) {
            runs.addMoves(run, plan);
            audit.record("system", "prepare-instance-list", run.hostKey, false, "OK", plan.size() + " instances, "
                    + plan.stream().filter(p -> p.state() == MoveState.PENDING).count() + " to move");
        }
        return isOvirt(run) ? RecoveryStep.START_VMS : RecoveryStep.EVACUATE_INSTANCES;
    }

    @Transactional
    boolean hasMoves(UUID runId) {
        return InstanceMove.count("runId", runId) > 0;
    }

    @Transactional
    HostFailure episode(UUID id) {
        return HostFailure.findById(id);
    }

    private static boolean isOvirt(RecoveryRun run) {
        return "OVIRT".equals(run.platform);
    }

    // ------------------------------------------------------------------ moving instances, N at a time

    /**
     * Moves the run's instances. {@code concurrency} bounds the cloud calls in flight, not the instances: an
     * evacuate call is one short task, and each instance in flight is then checked with one read per poll interval,
     * also as a short task. {@code max-in-flight} (0: no limit) bounds the instances rebuilding at once.
     */
    private RecoveryStep moveStep(RecoveryRun run, long attempt) {
        EvacuationConfig.Source src = platforms.require(run.sourceId);
        int concurrency = Math.max(1, src.concurrency());
        ExecutorService pool = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "lifeboat-move");
            t.setDaemon(true);
            return t;
        });
        Set<Long> busy = ConcurrentHashMap.newKeySet();
        Map<Long, Instant> nextCheck = new ConcurrentHashMap<>();
        Set<Long> accepted = ConcurrentHashMap.newKeySet();
        Set<String> enabledReserved = ConcurrentHashMap.newKeySet();
        long lastClaim = System.nanoTime();
        try {
            while (!stopping) {
                if (System.nanoTime() - lastClaim > config.runLease().toNanos() / 3) {
                    if (!claim(run.id) || pastDeadline(run)) {
                        return null;
                    }
                    noteProgress(attempt, progress(run.id));
                    lastClaim = System.nanoTime();
                }
                List<InstanceMove> open = openMoves(run.id);
                if (open.isEmpty() && busy.isEmpty()) {
                    return RecoveryStep.VERIFY;
                }

                Instant now = Instant.now();
                long ongoing = open.stream().filter(m -> m.state == MoveState.ONGOING).count();
                // Starts first (in the run's order), then checks: the calls go out as early as they can.
                for (InstanceMove m : open) {
                    if (busy.size() >= concurrency) {
                        break;
                    }
                    boolean due = m.notBefore == null || !m.notBefore.isAfter(now);
                    boolean room = src.maxInFlight() <= 0 || ongoing < src.maxInFlight();
                    if (m.state == MoveState.PENDING && due && room && busy.add(m.id)) {
                        ongoing++;
                        long id = m.id;
                        pool.submit(() -> task(run, src, id, true, busy, nextCheck, () -> {
                            if (begin(run, src, id, enabledReserved, accepted)) {
                                nextCheck.put(id, Instant.now().plus(src.pollInterval()));
                            }
                        }));
                    }
                }
                for (InstanceMove m : open) {
                    if (busy.size() >= concurrency) {
                        break;
                    }
                    if (m.state == MoveState.ONGOING && !nextCheck.getOrDefault(m.id, now).isAfter(now)
                            && busy.add(m.id)) {
                        long id = m.id;
                        pool.submit(() -> task(run, src, id, false, busy, nextCheck, () -> {
                            if (!check(run, src, id, accepted.contains(id))) {
                                nextCheck.put(id, Instant.now().plus(src.pollInterval()));
                            }
                        }));
                    }
                }
                CloudCalls.sleep(50);
            }
            return null;
        } finally {
            pool.shutdownNow();
            try {
                pool.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Transactional
    List<InstanceMove> openMoves(UUID runId) {
        return InstanceMove.list("runId = ?1 and state in ?2 order by ordinal", runId,
                List.of(MoveState.PENDING, MoveState.ONGOING));
    }

    /**
     * Runs one short task of a move. A failed check leaves the move as it is, to be checked again after the poll
     * interval; a failure before a move's call (reading the VM, enabling the reserved host) is a try without effect,
     * retried after a backoff and bounded ({@link #retryLater}).
     */
    private void task(RecoveryRun run, EvacuationConfig.Source src, long moveId, boolean beginning, Set<Long> busy,
                      Map<Long, Instant> nextCheck, Runnable work) {
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
                    retryLater(run, src, moveId, MoveState.PENDING, "failed before its call: " + e.getMessage());
                } catch (RuntimeException again) {
                    LOG.warnf("run %s move %d: could not record the failure: %s", run.id, moveId, again.getMessage());
                }
            }
        } finally {
            busy.remove(moveId);
        }
    }

    /** Starts a PENDING move; true when it is now ONGOING (its call made, or unanswered and to be checked). */
    private boolean begin(RecoveryRun run, EvacuationConfig.Source src, long moveId, Set<String> enabled,
                          Set<Long> accepted) {
        if (run.kind == RecoveryRun.Kind.STORAGE) {
            return beginMigrate(run, src, moveId);
        }
        return isOvirt(run) ? beginStart(run, src, moveId) : beginEvacuate(run, src, moveId, enabled, accepted);
    }

    /** Checks an ONGOING move once; true when it is settled (succeeded, failed, or back to PENDING). */
    private boolean check(RecoveryRun run, EvacuationConfig.Source src, long moveId, boolean accepted) {
        if (run.kind == RecoveryRun.Kind.STORAGE) {
            return checkMigrate(run, src, moveId);
        }
        return isOvirt(run) ? checkStart(run, src, moveId) : checkEvacuate(run, src, moveId, accepted);
    }

    // ------------------------------------------------------------------ OpenStack: evacuate one instance

    private boolean beginEvacuate(RecoveryRun run, EvacuationConfig.Source src, long moveId, Set<String> enabled,
                                  Set<Long> accepted) {
        NovaApi nova = platforms.nova(run.sourceId);
        InstanceMove m = move(moveId);
        if (m.state != MoveState.PENDING) {
            return m.state == MoveState.ONGOING;
        }
        String target = target(run, src, m);
        if (target != null && src.reservedHosts().orElse(List.of()).contains(target) && enabled.add(target)) {
            try {
                NovaApi.ComputeService s = nova.computeService(target).orElse(null);
                if (s != null && "disabled".equals(s.status())) {
                    nova.enable(target);
                    audit.record("system", "enable-reserved-host", run.sourceId + "/" + target, false, "OK",
                            "reserved host enabled for run " + run.id);
                }
            } catch (RuntimeException e) {
                enabled.remove(target);   // not enabled: the next try enables it first again
                throw e;
            }
        }
        if (!markOngoing(moveId, m.attempt, target)) {
            return false;   // another worker or replica has it
        }
        InstanceMove ongoing = move(moveId);
        Outcome o = callOnce(run, src, ongoing, "to " + (target == null ? "the scheduler's choice" : target), () -> {
            if (ongoing.resetFirst && ongoing.attempt == 1) {
                nova.resetState(ongoing.vmId, "error");
            }
            nova.evacuate(ongoing.vmId, target);
        });
        if (o == Outcome.ACCEPTED) {
            accepted.add(moveId);
        }
        return o != Outcome.REFUSED;
    }

    /** How a cloud call made once ended. */
    private enum Outcome { ACCEPTED, REFUSED, UNANSWERED }

    /**
     * Makes a move's cloud call (evacuate, start, migrate) once, with the ONGOING mark already committed, and records
     * it. A refusal fails the attempt; no answer leaves the move ONGOING, to be checked, never repeated blindly.
     */
    private Outcome callOnce(RecoveryRun run, EvacuationConfig.Source src, InstanceMove m, String where,
                             Runnable call) {
        try {
            call.run();
            noteCall(run.id);
            audit.record("system", m.action, m.vmKey, false, "ACCEPTED", "attempt " + m.attempt + ", " + where);
            return Outcome.ACCEPTED;
        } catch (CloudCallException e) {
            if (e.refused()) {
                audit.record("system", m.action, m.vmKey, false, "REFUSED", e.getMessage());
                attemptFailed(run, src, m.id, m.action + " refused: " + e.getMessage());
                return Outcome.REFUSED;
            }
            return Outcome.UNANSWERED;
        }
    }

    /** One look at an evacuation: ACTIVE (or SHUTOFF) on another host, ERROR, not received, or the timeout. */
    private boolean checkEvacuate(RecoveryRun run, EvacuationConfig.Source src, long moveId, boolean accepted) {
        NovaApi nova = platforms.nova(run.sourceId);
        String failedHost = HostKey.parse(run.hostKey).hostId();
        InstanceMove m = move(moveId);
        if (m.state != MoveState.ONGOING) {
            return true;
        }
        Optional<NovaApi.Server> found = nova.server(m.vmId);
        if (found.isEmpty()) {
            end(run, moveId, MoveState.FAILED, null, "the server no longer exists");
            return true;
        }
        NovaApi.Server s = found.get();
        if (s.taskState() == null) {
            boolean moved = s.host() != null && !s.host().equals(failedHost);
            if (moved && ("ACTIVE".equals(s.status()) || "SHUTOFF".equals(s.status()))) {
                if (m.stopAfter && "ACTIVE".equals(s.status())) {
                    nova.stop(m.vmId);   // it was stopped before the failure: leave it stopped
                } else if (m.startAfter && "SHUTOFF".equals(s.status())) {
                    nova.start(m.vmId);  // 2.95+: evacuated instances end stopped
                }
                end(run, moveId, MoveState.SUCCEEDED, s.host(), m.stopAfter ? "left stopped, as it was" : null);
                return true;
            }
            if (!moved) {
                boolean landed = accepted || landed(nova, run, failedHost, m);
                if (landed && "ERROR".equals(s.status())) {
                    attemptFailed(run, src, moveId, "ended in ERROR" + (s.fault() == null ? "" : ": " + s.fault()));
                    return true;
                }
                if (!landed && Instant.now().isAfter(m.calledAt.plus(src.pollInterval().multipliedBy(2)))) {
                    // The call never reached Nova (no migration record): it may be made again.
                    repend(run, src, moveId, "the evacuate call was not received by Nova; calling again");
                    return true;
                }
            } else if ("ERROR".equals(s.status())) {
                attemptFailed(run, src, moveId, "ended in ERROR on " + s.host() + (s.fault() == null ? ""
                        : ": " + s.fault()));
                return true;
            }
        }
        if (Instant.now().isAfter(m.calledAt.plus(src.instanceTimeout()))) {
            end(run, moveId, MoveState.FAILED, null, "not ACTIVE on another host " + src.instanceTimeout().toSeconds()
                    + " s after the evacuate call (status " + s.status() + ", task " + s.taskState() + ")");
            return true;
        }
        return false;
    }

    /**
     * Whether attempt N of this move reached Nova: every accepted evacuate leaves one evacuation migration from the
     * failed host (wire-formats.md A.1, check 6), so N attempts that landed leave N of them since the run began.
     */
    private boolean landed(NovaApi nova, RecoveryRun run, String failedHost, InstanceMove m) {
        Instant since = run.createdAt.minus(Duration.ofMinutes(5));
        long n = nova.evacuations(m.vmId).stream()
                .filter(x -> failedHost.equals(x.sourceCompute()))
                .filter(x -> x.createdAt() == null || !x.createdAt().isBefore(since))
                .count();
        return n >= m.attempt;
    }

    /** The operator's target, else the reserved hosts in order (one per attempt), else the scheduler (null). */
    private static String target(RecoveryRun run, EvacuationConfig.Source src, InstanceMove m) {
        if (m.requestedTarget != null) {
            return m.requestedTarget;
        }
        if (run.targetHost != null) {
            return run.targetHost;
        }
        List<String> reserved = src.reservedHosts().orElse(List.of());
        return m.attempt < reserved.size() ? reserved.get(m.attempt) : null;
    }

    // ------------------------------------------------------------------ oVirt: start one VM

    private boolean beginStart(RecoveryRun run, EvacuationConfig.Source src, long moveId) {
        OvirtApi api = platforms.ovirt(run.sourceId);
        String failedHost = HostKey.parse(run.hostKey).hostId();
        InstanceMove m = move(moveId);
        if (m.state != MoveState.PENDING) {
            return m.state == MoveState.ONGOING;
        }
        Optional<OvirtApi.Vm> vm = api.vm(m.vmId);
        if (vm.isEmpty()) {
            end(run, moveId, MoveState.SKIPPED, null, "the engine no longer has this VM");
            return false;
        }
        OvirtApi.Vm v = vm.get();
        if (!"down".equals(v.status()) && v.hostId() != null && !v.hostId().equals(failedHost)) {
            end(run, moveId, MoveState.SKIPPED, hostName(api, v.hostId()), "already running on "
                    + hostName(api, v.hostId()) + (v.ha() ? " (restarted by the engine)" : ""));
            return false;
        }
        if (!"down".equals(v.status())) {
            // Still unknown: the engine has not released it yet (the host is not marked fenced on its side).
            waitFor(run, src, moveId, "the engine still shows it " + v.status());
            return false;
        }
        String target = m.requestedTarget != null ? m.requestedTarget : run.targetHost;
        if (!markOngoing(moveId, m.attempt, target)) {
            return false;
        }
        InstanceMove ongoing = move(moveId);
        return callOnce(run, src, ongoing, "on " + (target == null ? "the engine's choice" : hostName(api, target)),
                () -> api.start(ongoing.vmId, target)) != Outcome.REFUSED;
    }

    private boolean checkStart(RecoveryRun run, EvacuationConfig.Source src, long moveId) {
        OvirtApi api = platforms.ovirt(run.sourceId);
        InstanceMove m = move(moveId);
        if (m.state != MoveState.ONGOING) {
            return true;
        }
        Optional<OvirtApi.Vm> vm = api.vm(m.vmId);
        if (vm.isEmpty()) {
            end(run, moveId, MoveState.FAILED, null, "the engine no longer has this VM");
            return true;
        }
        OvirtApi.Vm v = vm.get();
        if ("up".equals(v.status()) && v.hostId() != null) {
            end(run, moveId, MoveState.SUCCEEDED, hostName(api, v.hostId()), null);
            return true;
        }
        if ("down".equals(v.status()) && Instant.now().isAfter(m.calledAt.plus(src.pollInterval().multipliedBy(3)))) {
            // Starting a DOWN VM again cannot run it twice: the engine refuses to start a running VM.
            repend(run, src, moveId, "still down after the start call; starting again");
            return true;
        }
        if (Instant.now().isAfter(m.calledAt.plus(src.instanceTimeout()))) {
            end(run, moveId, MoveState.FAILED, null, "not up " + src.instanceTimeout().toSeconds()
                    + " s after the start call (status " + v.status() + ")");
            return true;
        }
        return false;
    }

    // ------------------------------------------------------------------ oVirt: migrate a VM paused on a storage error

    private boolean beginMigrate(RecoveryRun run, EvacuationConfig.Source src, long moveId) {
        OvirtApi api = platforms.ovirt(run.sourceId);
        String pausedOn = HostKey.parse(run.hostKey).hostId();
        InstanceMove m = move(moveId);
        if (m.state != MoveState.PENDING) {
            return m.state == MoveState.ONGOING;
        }
        Optional<OvirtApi.Vm> vm = api.vm(m.vmId);
        if (vm.isEmpty()) {
            end(run, moveId, MoveState.SKIPPED, null, "the engine no longer has this VM");
            return false;
        }
        OvirtApi.Vm v = vm.get();
        if (!"paused".equals(v.status()) || !pausedOn.equals(v.hostId())) {
            end(run, moveId, MoveState.SKIPPED, null, "no longer paused on this host (" + v.status() + " on "
                    + (v.hostId() == null ? "no host" : hostName(api, v.hostId())) + ")");
            return false;
        }
        String target = m.requestedTarget;
        if (target == null) {
            target = pausedVms.healthyTarget(run.sourceId, m.vmKey, run.hostKey).map(h -> h.hostId).orElse(null);
        }
        if (target == null) {
            end(run, moveId, MoveState.FAILED, null, "no other up host of the cluster sees the storage");
            return false;
        }
        if (!markOngoing(moveId, m.attempt, target)) {
            return false;
        }
        InstanceMove ongoing = move(moveId);
        String to = target;
        return callOnce(run, src, ongoing, "paused on a storage error; to " + hostName(api, to),
                () -> api.migrate(ongoing.vmId, to)) != Outcome.REFUSED;
    }

    private boolean checkMigrate(RecoveryRun run, EvacuationConfig.Source src, long moveId) {
        OvirtApi api = platforms.ovirt(run.sourceId);
        String pausedOn = HostKey.parse(run.hostKey).hostId();
        InstanceMove m = move(moveId);
        if (m.state != MoveState.ONGOING) {
            return true;
        }
        Optional<OvirtApi.Vm> vm = api.vm(m.vmId);
        if (vm.isEmpty()) {
            end(run, moveId, MoveState.FAILED, null, "the engine no longer has this VM");
            return true;
        }
        OvirtApi.Vm v = vm.get();
        if (v.hostId() != null && !pausedOn.equals(v.hostId()) && "up".equals(v.status())) {
            end(run, moveId, MoveState.SUCCEEDED, hostName(api, v.hostId()), "resumed after the migration");
            return true;
        }
        if (Instant.now().isAfter(m.calledAt.plus(src.instanceTimeout()))) {
            end(run, moveId, MoveState.FAILED, null, "not running on another host " + src.instanceTimeout()
                    .toSeconds() + " s after the migrate call (" + v.status() + ")");
            return true;
        }
        return false;
    }

    private static String hostName(OvirtApi api, String hostId) {
        return api.host(hostId).map(OvirtApi.Host::name).orElse(hostId);
    }

    // ------------------------------------------------------------------ move transitions (each its own transaction)

    @Transactional
    InstanceMove move(long id) {
        return InstanceMove.findById(id);
    }

    /** PENDING → ONGOING with the attempt counted, committed before the call; false if someone else did it. */
    @Transactional
    boolean markOngoing(long id, int attempt, String target) {
        Instant now = Instant.now();
        int n = em.createQuery("update InstanceMove m set m.state = :ongoing, m.attempt = m.attempt + 1,"
                        + " m.calledAt = :now, m.startedAt = coalesce(m.startedAt, :now), m.targetHost = :target"
                        + " where m.id = :id and m.state = :pending and m.attempt = :attempt")
                .setParameter("ongoing", MoveState.ONGOING).setParameter("now", now).setParameter("target", target)
                .setParameter("id", id).setParameter("pending", MoveState.PENDING).setParameter("attempt", attempt)
                .executeUpdate();
        if (n == 1) {
            em.clear();
            InstanceMove m = InstanceMove.findById(id);
            RecoveryRun run = RecoveryRun.findById(m.runId);
            runs.publishMove(run, m);
        }
        return n == 1;
    }

    @Transactional
    void noteCall(UUID runId) {
        Instant now = Instant.now();
        // Concurrent moves race for the first call: only the one whose update lands records the milestone.
        int first = em.createQuery("update RecoveryRun r set r.firstCallAt = :now where r.id = :id and"
                + " r.firstCallAt is null").setParameter("now", now).setParameter("id", runId).executeUpdate();
        em.createQuery("update RecoveryRun r set r.lastCallAt = :now where r.id = :id").setParameter("now", now)
                .setParameter("id", runId).executeUpdate();
        if (first == 1) {
            RecoveryRun run = RecoveryRun.findById(runId);
            HostFailure f = run.episodeId == null ? null : HostFailure.findById(run.episodeId);
            if (f != null) {
                lifecycle.timer("first_recovery_call", f, Duration.between(f.firstSignalAt, now));
            }
        }
    }

    @Transactional
    void end(RecoveryRun run, long moveId, MoveState state, String targetHost, String reason) {
        InstanceMove m = InstanceMove.findById(moveId);
        if (m.state == MoveState.SUCCEEDED || m.state == MoveState.FAILED || m.state == MoveState.SKIPPED) {
            return;
        }
        m.state = state;
        if (targetHost != null) {
            m.targetHost = targetHost;
        }
        m.reason = reason;
        m.finishedAt = Instant.now();
        runs.publishMove(RecoveryRun.findById(run.id), m);
        String outcome = switch (state) {
            case SUCCEEDED -> "evacuated";
            case FAILED -> "failed";
            default -> "skipped";
        };
        metrics.counter("lifeboat.evacuation.instances", "outcome", outcome, "platform", run.platform).increment();
        audit.record("system", m.action + "-result", m.vmKey, false, state.name(), (targetHost == null ? ""
                : "on " + targetHost + (reason == null ? "" : "; ")) + (reason == null ? "" : reason));
    }

    /** A failed attempt: tried again (on the next reserved host, if any) until the attempts run out. */
    @Transactional
    void attemptFailed(RecoveryRun run, EvacuationConfig.Source src, long moveId, String reason) {
        InstanceMove m = InstanceMove.findById(moveId);
        if (m.state != MoveState.ONGOING) {
            return;
        }
        if (m.attempt < src.maxAttempts()) {
            m.state = MoveState.PENDING;
            m.requestedTarget = null;
            m.reason = "attempt " + m.attempt + " failed: " + reason + "; trying again";
            runs.publishMove(RecoveryRun.findById(run.id), m);
        } else {
            end(run, moveId, MoveState.FAILED, null, "failed after " + m.attempt + " attempts; last: " + reason);
        }
    }

    /** The call did not take effect: back to PENDING without counting the attempt, after a backoff, bounded. */
    void repend(RecoveryRun run, EvacuationConfig.Source src, long moveId, String reason) {
        retryLater(run, src, moveId, MoveState.ONGOING, reason);
    }

    /**
     * A try of a move in state {@code from} that did not take effect: counted; PENDING again after a backoff (the poll
     * interval, doubling, at most 30 s) while {@code max-call-retries} lasts, then FAILED with the reason.
     */
    @Transactional
    void retryLater(RecoveryRun run, EvacuationConfig.Source src, long moveId, MoveState from, String reason) {
        InstanceMove m = InstanceMove.findById(moveId);
        if (m.state != from) {
            return;
        }
        m.callRetries++;
        if (m.callRetries > src.maxCallRetries()) {
            end(run, moveId, MoveState.FAILED, null, "gave up after " + m.callRetries + " tries without effect;"
                    + " last: " + reason);
            return;
        }
        if (from == MoveState.ONGOING) {
            m.attempt = Math.max(0, m.attempt - 1);
        }
        m.state = MoveState.PENDING;
        Duration backoff = src.pollInterval().multipliedBy(1L << Math.min(m.callRetries - 1, 16));
        m.notBefore = Instant.now().plus(backoff.compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30)
                : backoff);
        m.reason = reason + " (try " + m.callRetries + " of " + src.maxCallRetries() + " without effect)";
        runs.publishMove(RecoveryRun.findById(run.id), m);
    }

    @Transactional
    void waitFor(RecoveryRun run, EvacuationConfig.Source src, long moveId, String why) {
        InstanceMove m = InstanceMove.findById(moveId);
        Instant now = Instant.now();
        if (m.startedAt == null) {
            m.startedAt = now;
        }
        if (now.isAfter(m.startedAt.plus(src.instanceTimeout()))) {
            end(run, moveId, MoveState.FAILED, null, why + " after " + src.instanceTimeout().toSeconds() + " s");
            return;
        }
        m.notBefore = now.plus(src.pollInterval());
        if (!why.equals(m.reason)) {
            m.reason = why;
            runs.publishMove(RecoveryRun.findById(run.id), m);
        }
    }
}
