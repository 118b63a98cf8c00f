package io.lifeboat.evacuation.recovery;

import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.recovery.MoveState;
import io.lifeboat.common.recovery.RecoveryStep;
import io.lifeboat.evacuation.audit.AuditLog;
import io.lifeboat.evacuation.config.EvacuationConfig;
import io.lifeboat.evacuation.episode.HostFailure;
import io.lifeboat.evacuation.view.VmView;
import io.lifeboat.evacuation.platform.Platforms;
import io.lifeboat.evacuation.platform.openstack.NovaApi;
import io.lifeboat.evacuation.platform.ovirt.OvirtApi;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * The instance list of a run, read live from the cloud and decided by {@link RecoveryPlanner}, stored once: a run
 * whose moves exist (an operator's one-VM run, a resumed run) keeps them.
 */
@ApplicationScoped
public class PrepareInstanceListStep implements Step {

    @Inject
    Platforms platforms;

    @Inject
    RecoveryRuns runs;

    @Inject
    MoveTransitions moves;

    @Inject
    AuditLog audit;

    @Inject
    jakarta.enterprise.event.Event<InstanceListPrepared> prepared;

    @Override
    public RecoveryStep name() {
        return RecoveryStep.PREPARE_INSTANCE_LIST;
    }

    /** Instance lists read ahead, by run (two runs' reads at a time). */
    private final ReadsAhead<List<PlannedMove>> ahead = new ReadsAhead<>("instance list", Duration.ofSeconds(60),
            BoundedThreads.of("lifeboat-plan-ahead-", 2, 64));

    /** The source-wide reads of the evacuable rule; they wait for nothing but the cloud. */
    private static final ExecutorService SOURCE_READS = BoundedThreads.of("lifeboat-plan-read-", 6, 64);

    /**
     * Starts reading an OpenStack host run's instance list, and the failover forecast's prediction with it, when the
     * run starts, beside its fencing and force-down: the host is confirmed down, nothing lands on it any more, and
     * what is read is what the step would read. Not on oVirt, whose plan depends on when the host was fenced. The
     * step takes it if it is less than a minute old, and reads again if the read failed.
     */
    @Override
    public void readAhead(RecoveryRun run) {
        if (!"OPENSTACK".equals(run.platform) || run.kind != RecoveryRun.Kind.HOST || moves.hasMoves(run.id)) {
            return;
        }
        ahead.start(run.id, () -> decide(run));
    }

    @Override
    public boolean run(RecoveryRun run, Attempt attempt) {
        if (!moves.hasMoves(run.id)) {
            List<PlannedMove> plan = ahead.take(run.id).orElseGet(() -> decide(run));
            storePlan(run.id, plan);
        }
        return true;
    }

    /** The plan, and the event that lets the failover forecast record its prediction before the moves begin. */
    private List<PlannedMove> decide(RecoveryRun run) {
        Decided d = read(run);
        prepared.fire(new InstanceListPrepared(run.id, run.sourceId, run.hostKey, run.platform, d.plan(),
                d.servers()));
        return d.plan();
    }

    /** The plan for a host run, read live from the cloud (also what a dry run shows). */
    public List<PlannedMove> plan(RecoveryRun run) {
        return read(run).plan();
    }

    /** A plan, and on OpenStack the failed host's servers it was decided from (null on oVirt). */
    private record Decided(List<PlannedMove> plan, List<NovaApi.Server> servers) {
    }

    private Decided read(RecoveryRun run) {
        String hostId = HostKey.parse(run.hostKey).hostId();
        EvacuationConfig.Source src = platforms.require(run.sourceId);
        if ("OVIRT".equals(run.platform)) {
            OvirtApi api = platforms.ovirt(run.sourceId);
            Map<VmView, Optional<OvirtApi.Vm>> candidates = new LinkedHashMap<>();
            Map<String, String> hostNames = new HashMap<>();
            api.hosts().forEach(h -> hostNames.put(h.id(), h.name()));
            Map<String, VmView> known = new LinkedHashMap<>();
            HostFailure f = run.episodeId == null ? null : episode(run.episodeId);
            Instant firstSignal = f == null ? Instant.now() : f.firstSignalAt;
            Instant since = firstSignal.minus(RecoveryPlanner.DOWN_WITH_HOST_SLACK);
            for (VmView v : views(run.hostKey, since)) {
                known.put(v.vmId, v);
            }
            for (OvirtApi.Vm live : api.vmsOn(hostId)) {
                known.computeIfAbsent(live.id(), id -> synthetic(run, live));
            }
            for (VmView v : known.values()) {
                candidates.put(v, api.vm(v.vmId));
            }
            Instant fencedAt = f == null || f.fencedAt == null ? Instant.now() : f.fencedAt;
            return new Decided(RecoveryPlanner.ovirt(run.sourceId, hostId, candidates, hostNames, firstSignal,
                    fencedAt.plus(src.engineHaWait()), run.targetHost), null);
        }
        NovaApi nova = platforms.nova(run.sourceId);
        boolean scan = src.evacuable() == EvacuationConfig.EvacuablePolicy.AUTO;
        // The source-wide reads of the evacuable rule go out beside the host's listing, not after it: the first
        // evacuate call waits for the slowest of them, not for their sum.
        Future<List<NovaApi.Server>> all = SOURCE_READS.submit(() -> scan ? nova.servers() : List.of());
        Future<Map<String, Map<String, String>>> flavors = SOURCE_READS.submit(() -> scan ? nova.flavorExtraSpecs()
                : Map.of());
        Future<Map<String, Map<String, String>>> images = SOURCE_READS.submit(nova::imageProperties);
        try {
            List<NovaApi.Server> servers = nova.serversOn(hostId);
            Map<String, VmView> views = new HashMap<>();
            views(run.sourceId, servers.stream().map(NovaApi.Server::id).toList(), views);
            return new Decided(RecoveryPlanner.openstack(run.sourceId, servers, views, EvacuableRule.verdicts(src,
                    done(all), done(flavors), done(images)), nova.microversion(), run.targetHost), servers);
        } finally {
            List.of(all, flavors, images).forEach(r -> r.cancel(true));   // those not needed once one failed
        }
    }

    private static <T> T done(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the source", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
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

    /** Fills the views of the host's servers by id (for the priorities Nova does not show). */
    @Transactional
    void views(String sourceId, List<String> serverIds, Map<String, VmView> out) {
        VmView.ofVms(sourceId, serverIds, out);
    }

    @Transactional
    void storePlan(UUID runId, List<PlannedMove> plan) {
        RecoveryRun run = RecoveryRun.findById(runId);
        if (InstanceMove.count("runId", runId) == 0) {
            runs.addMoves(run, plan);
            audit.record("system", "prepare-instance-list", run.hostKey, false, "OK", plan.size() + " instances, "
                    + plan.stream().filter(p -> p.state() == MoveState.PENDING).count() + " to move");
        }
    }

    @Transactional
    HostFailure episode(UUID id) {
        return HostFailure.findById(id);
    }
}
