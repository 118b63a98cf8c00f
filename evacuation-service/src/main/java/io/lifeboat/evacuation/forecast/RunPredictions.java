package io.lifeboat.evacuation.forecast;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.json.Json;
import io.lifeboat.common.recovery.MoveState;
import io.lifeboat.evacuation.audit.AuditLog;
import io.lifeboat.evacuation.config.EvacuationConfig;
import io.lifeboat.evacuation.platform.Platforms;
import io.lifeboat.evacuation.platform.openstack.NovaApi;
import io.lifeboat.evacuation.platform.ovirt.OvirtApi;
import io.lifeboat.evacuation.recovery.FailoverPredictor;
import io.lifeboat.evacuation.recovery.InstanceListPrepared;
import io.lifeboat.evacuation.recovery.BoundedThreads;
import io.lifeboat.evacuation.recovery.PlannedMove;
import io.lifeboat.evacuation.recovery.InstanceMove;
import io.lifeboat.evacuation.recovery.ReadsAhead;
import io.lifeboat.evacuation.recovery.RecoveryRun;
import io.lifeboat.evacuation.recovery.RunStarted;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Collectors;

/**
 * A run's failover plan, predicted from the capacity the cloud shows just before its first move, and compared with
 * what happened once the run ended: which instances were predicted not to fit and did fit, or the other way round, and
 * which went to another host than predicted. Shown in the run's view and audited.
 */
@ApplicationScoped
public class RunPredictions implements FailoverPredictor {

    private static final Logger LOG = Logger.getLogger(RunPredictions.class);

    /** How long a run's first move waits for its prediction, at the most. */
    private static final java.time.Duration PREDICTION_WAIT = java.time.Duration.ofSeconds(5);
    /**
     * Predictions made beside their runs; each may wait for reads from {@link #CLOUD_READS}, whose tasks wait for
     * nothing but the cloud (a task waiting for a task of its own pool could wait for ever once the pool is full).
     */
    private static final ExecutorService PREDICTIONS = BoundedThreads.of("lifeboat-failover-prediction-", 4, 64);
    private static final ExecutorService CLOUD_READS = BoundedThreads.of("lifeboat-failover-read-", 8, 64);

    @Inject
    FailoverForecasts forecasts;

    @Inject
    Platforms platforms;

    @Inject
    jakarta.persistence.EntityManager em;

    @Inject
    AuditLog audit;

    /** A run's prediction and its comparison, for the run's view. */
    public record View(List<FailoverPlanner.Placement> placements, List<String> unplaceable, Instant computedAt,
                       String outcome, Instant comparedAt) {
    }

    /** A dry run's prediction; none when the source has no forecast, or the cloud cannot be read for it. */
    @Override
    public Optional<List<?>> predict(String sourceId, String hostKey, String platform, List<PlannedMove> plan) {
        if (!forecasts.sources().contains(sourceId)) {
            return Optional.empty();
        }
        try {
            return Optional.of(predict(sourceId, HostKey.parse(hostKey).hostId(), plan));
        } catch (RuntimeException ex) {
            LOG.warnf("no failover prediction for a dry run of %s: %s", hostKey, ex.getMessage());
            return Optional.empty();
        }
    }

    void prepared(@Observes InstanceListPrepared e) {
        if (!forecasts.sources().contains(e.sourceId())) {
            return;
        }
        String failedHost = HostKey.parse(e.hostKey()).hostId();
        CompletableFuture<List<FailoverPlanner.Placement>> f;
        try {
            if (e.servers() != null && capacityAhead.has(e.runId())) {
                // Its inputs were read when the run started, before any move: it is made and stored beside the run.
                CompletableFuture.runAsync(() -> predictFromAhead(e, failedHost), PREDICTIONS);
                return;
            }
            // Read now, before the first move: the run waits for it PREDICTION_WAIT at the most, and never fails
            // because of it (the prediction is information).
            f = CompletableFuture.supplyAsync(() -> predict(e.sourceId(), failedHost, e.plan()), PREDICTIONS);
        } catch (RejectedExecutionException ex) {
            LOG.warnf("no failover prediction for run %s: too many predictions under way", e.runId());
            return;
        }
        try {
            store(e.runId(), e.hostKey(), f.get(PREDICTION_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
        } catch (java.util.concurrent.TimeoutException ex) {
            f.cancel(true);
            LOG.warnf("no failover prediction for run %s: the cloud did not answer within %s", e.runId(),
                    PREDICTION_WAIT);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | RuntimeException ex) {
            LOG.warnf("no failover prediction for run %s: %s", e.runId(), ex.getCause() != null ? ex.getCause()
                    .getMessage() : ex.getMessage());
        }
    }

    @Transactional
    void store(UUID runId, String hostKey, List<FailoverPlanner.Placement> placements) {
        if (FailoverPrediction.findById(runId) != null) {
            return;
        }
        FailoverPrediction p = new FailoverPrediction();
        p.runId = runId;
        p.hostKey = hostKey;
        try {
            p.predicted = Json.mapper().writeValueAsString(placements);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
        p.unplaceable = placements.stream().filter(x -> !x.placed()).map(FailoverPlanner.Placement::vmId).sorted()
                .collect(Collectors.joining(","));
        p.computedAt = Instant.now();
        p.persist();
    }

    /**
     * The prediction for a failed host's moves as decided by a run or a dry run, from the capacity the cloud shows now.
     * On OpenStack the host's servers (their flavors) and the hypervisors are read side by side.
     */
    List<FailoverPlanner.Placement> predict(String sourceId, String failedHost, List<PlannedMove> moves) {
        EvacuationConfig.Source src = platforms.require(sourceId);
        if (src.kind() == EvacuationConfig.Kind.OVIRT) {
            OvirtApi api = platforms.ovirt(sourceId);
            Map<String, OvirtApi.Vm> byId = new HashMap<>();
            api.vms().forEach(v -> byId.put(v.id(), v));
            List<FailoverPlanner.EngineVm> vms = moves.stream().filter(m -> m.state() == MoveState.PENDING)
                    .map(m -> byId.get(m.vmId())).filter(java.util.Objects::nonNull)
                    .map(ForecastInputs::engineVm).toList();
            return FailoverPlanner.ovirt(failedHost, vms, ForecastInputs.engineHosts(api.hosts()));
        }
        Capacity c = capacity(sourceId, failedHost);
        return ForecastInputs.place(failedHost, moves, c.on(), ForecastInputs.computes(c.hypervisors()), src,
                ForecastInputs.ratios(src));
    }

    /** What an OpenStack prediction reads: the hypervisors and the failed host's servers, side by side. */
    private record Capacity(List<NovaApi.Hypervisor> hypervisors, List<NovaApi.Server> on) {
    }

    private Capacity capacity(String sourceId, String failedHost) {
        NovaApi nova = platforms.nova(sourceId);
        CompletableFuture<List<NovaApi.Server>> on;
        try {
            on = CompletableFuture.supplyAsync(() -> nova.serversOn(failedHost), CLOUD_READS);
        } catch (RejectedExecutionException ex) {
            on = CompletableFuture.completedFuture(nova.serversOn(failedHost));   // one after the other, then
        }
        List<NovaApi.Hypervisor> hypervisors = nova.hypervisors();
        return new Capacity(hypervisors, on.join());
    }

    /**
     * The hypervisors read when a run started, by run: with the failed host's servers as its instance list read them,
     * its prediction's inputs, read before its first move.
     */
    private final ReadsAhead<List<NovaApi.Hypervisor>> capacityAhead = new ReadsAhead<>("capacity",
            java.time.Duration.ofSeconds(60), CLOUD_READS);

    /**
     * An OpenStack host run started: the hypervisors its prediction needs are read now, beside the fence, the
     * force-down and the instance list (whose read of the host's servers the prediction shares), so that the
     * prediction waits for none of it. Taken within a minute, or read again.
     */
    void started(@Observes(during = TransactionPhase.AFTER_SUCCESS) RunStarted e) {
        if (!"OPENSTACK".equals(e.platform()) || e.kind() != RecoveryRun.Kind.HOST
                || !forecasts.sources().contains(e.sourceId())) {
            return;
        }
        capacityAhead.start(e.runId(), () -> platforms.nova(e.sourceId()).hypervisors());
    }

    /**
     * The prediction of a run's moves from the capacity read when it started; none when that read failed (read now,
     * the capacity would show the run's own moves).
     */
    private void predictFromAhead(InstanceListPrepared e, String failedHost) {
        try {
            Optional<List<NovaApi.Hypervisor>> ahead = capacityAhead.take(e.runId());
            if (ahead.isEmpty()) {
                LOG.warnf("no failover prediction for run %s: the capacity read when it started failed", e.runId());
                return;
            }
            EvacuationConfig.Source src = platforms.require(e.sourceId());
            store(e.runId(), e.hostKey(), ForecastInputs.place(failedHost, e.plan(), e.servers(),
                    ForecastInputs.computes(ahead.get()), src, ForecastInputs.ratios(src)));
        } catch (RuntimeException ex) {
            LOG.warnf("no failover prediction for run %s: %s", e.runId(), ex.getMessage());
        }
    }

    /** Compares the predictions of the runs that ended with what happened to their moves. */
    @Scheduled(every = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, delayed = "5s")
    @Transactional
    void compareEnded() {
        List<FailoverPrediction> open = FailoverPrediction.list("outcome is null");
        for (FailoverPrediction p : open) {
            RecoveryRun run = RecoveryRun.findById(p.runId);
            if (run != null && run.active()) {
                continue;
            }
            String outcome = run == null ? "the run no longer exists" : compare(p, InstanceMove.ofRun(p.runId));
            // Conditional: of two replicas comparing the same run, one records and audits it.
            int changed = em.createQuery("update FailoverPrediction set outcome = ?1, comparedAt = ?2"
                            + " where runId = ?3 and outcome is null")
                    .setParameter(1, outcome).setParameter(2, Instant.now()).setParameter(3, p.runId).executeUpdate();
            if (changed == 1) {
                audit.record("system", "failover-prediction", p.hostKey, false, outcome.startsWith("as predicted")
                        ? "AS_PREDICTED" : "DIFFERS", "run " + p.runId + ": " + outcome);
            }
        }
    }

    static String compare(FailoverPrediction p, List<InstanceMove> moves) {
        List<FailoverPlanner.Placement> predicted = placements(p.predicted);
        Set<String> unplaceable = p.unplaceable.isEmpty() ? Set.of() : Set.copyOf(Arrays.asList(p.unplaceable
                .split(",")));
        Map<String, InstanceMove> byVm = new HashMap<>();
        moves.forEach(m -> byVm.put(m.vmId, m));
        List<String> fitAnyway = new ArrayList<>();
        List<String> didNotFit = new ArrayList<>();
        List<String> elsewhere = new ArrayList<>();
        int placed = 0;
        for (FailoverPlanner.Placement x : predicted) {
            InstanceMove m = byVm.get(x.vmId());
            if (m == null || m.state == MoveState.SKIPPED) {
                continue;
            }
            boolean succeeded = m.state == MoveState.SUCCEEDED;
            if (unplaceable.contains(x.vmId()) && succeeded) {
                fitAnyway.add(x.name() + " (on " + m.targetHost + ")");
            } else if (!unplaceable.contains(x.vmId()) && m.state == MoveState.FAILED) {
                didNotFit.add(x.name() + " (" + m.reason + ")");
            } else if (succeeded && x.target() != null && !x.target().equals(m.targetHost)) {
                elsewhere.add(x.name() + " on " + m.targetHost + ", predicted " + x.target());
            }
            if (succeeded) {
                placed++;
            }
        }
        String summary = unplaceable.size() + " predicted not to fit, " + placed + " placed";
        if (fitAnyway.isEmpty() && didNotFit.isEmpty()) {
            return "as predicted: " + summary + (elsewhere.isEmpty() ? "" : "; on another host than predicted: "
                    + String.join(", ", elsewhere));
        }
        return "differs: " + summary + (fitAnyway.isEmpty() ? "" : "; predicted not to fit, placed: "
                + String.join(", ", fitAnyway)) + (didNotFit.isEmpty() ? "" : "; predicted to fit, failed: "
                + String.join(", ", didNotFit)) + (elsewhere.isEmpty() ? "" : "; on another host than predicted: "
                + String.join(", ", elsewhere));
    }

    @Transactional
    public Optional<View> of(UUID runId) {
        FailoverPrediction p = FailoverPrediction.findById(runId);
        if (p == null) {
            return Optional.empty();
        }
        List<String> unplaceable = p.unplaceable.isEmpty() ? List.of() : List.of(p.unplaceable.split(","));
        return Optional.of(new View(placements(p.predicted), unplaceable, p.computedAt, p.outcome, p.comparedAt));
    }

    private static List<FailoverPlanner.Placement> placements(String json) {
        try {
            return List.of(Json.mapper().readValue(json, FailoverPlanner.Placement[].class));
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("unreadable prediction: " + ex.getMessage(), ex);
        }
    }
}
