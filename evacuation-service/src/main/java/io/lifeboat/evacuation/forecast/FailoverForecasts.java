package io.lifeboat.evacuation.forecast;

import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.id.SourceId;
import io.lifeboat.common.id.VmKey;
import io.lifeboat.common.recovery.FailoverForecastChanged;
import io.lifeboat.common.recovery.MoveState;
import io.lifeboat.evacuation.config.EvacuationConfig;
import io.lifeboat.evacuation.view.VmView;
import io.lifeboat.evacuation.platform.Platforms;
import io.lifeboat.evacuation.platform.openstack.NovaApi;
import io.lifeboat.evacuation.platform.ovirt.OvirtApi;
import io.lifeboat.evacuation.recovery.EvacuableRule;
import io.lifeboat.evacuation.recovery.PlannedMove;
import io.lifeboat.evacuation.recovery.RecoveryPlanner;
import io.lifeboat.service.outbox.Outbox;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The failover plan of every host of each OpenStack source, computed every {@code failover.interval}: where each
 * instance a recovery would evacuate would go if the host failed now, and which would not fit (DESIGN.md: a failover
 * plan for every host). Kept in memory (the latest per source), shown by {@code GET /api/v1/failover-plan}, counted
 * in {@code lifeboat_failover_unplaceable_vms{source,host}}, and published when a host's unplaceable set changes.
 */
@ApplicationScoped
public class FailoverForecasts {

    private static final Logger LOG = Logger.getLogger(FailoverForecasts.class);

    @Inject
    EvacuationConfig config;

    @Inject
    Platforms platforms;

    @Inject
    MeterRegistry metrics;

    @Inject
    Outbox outbox;

    @Inject
    jakarta.persistence.EntityManager em;

    /** One host's plan: its instances a recovery would evacuate, where each would go, and those it would leave. */
    public record HostPlan(String hostKey, String host, String state, String status, int instances,
                           List<FailoverPlanner.Placement> placements, List<PlannedMove> skipped) {
        public List<FailoverPlanner.Placement> unplaceable() {
            return placements.stream().filter(p -> !p.placed()).toList();
        }
    }

    /** A source's plans as last computed, or the error of the last try (the plans before it kept). */
    public record SourcePlan(String source, Instant computedAt, FailoverPlanner.Ratios ratios, List<String>
            reservedHosts, List<HostPlan> hosts, String error, Instant errorAt) {
    }

    private final Map<String, SourcePlan> latest = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastTry = new ConcurrentHashMap<>();
    private final Map<String, Integer> gauges = new ConcurrentHashMap<>();

    /** The sources whose plans are computed: enabled for recovery, the forecast on. */
    public List<String> sources() {
        return config.sources().entrySet().stream()
                .filter(e -> e.getValue().enabled() && e.getValue().failover().enabled())
                .map(Map.Entry::getKey).sorted().toList();
    }

    @Scheduled(every = "${lifeboat.evacuation.tick:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            delayed = "5s")
    void tick() {
        Instant now = Instant.now();
        for (String sourceId : sources()) {
            Instant last = lastTry.get(sourceId);
            if (last != null && last.plus(config.sources().get(sourceId).failover().interval()).isAfter(now)) {
                continue;
            }
            tryCompute(sourceId, now);
        }
    }

    /**
     * The source's plans as last computed, or (none tried yet) computed now, once: a reader never makes the cloud
     * calls again while the last try is recent, whether it succeeded or not (a dashboard polling a source whose cloud
     * is down must not multiply the calls to it).
     */
    public SourcePlan current(String sourceId) {
        SourcePlan p = latest.get(sourceId);
        if (p != null) {
            return p;
        }
        synchronized (locks.computeIfAbsent(sourceId, k -> new Object())) {
            p = latest.get(sourceId);
            if (p == null) {
                tryCompute(sourceId, Instant.now());
                p = latest.get(sourceId);
            }
            return p;
        }
    }

    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    /** One computation of the source's plans; a failure is kept beside the plans before it. */
    private void tryCompute(String sourceId, Instant now) {
        lastTry.put(sourceId, now);
        try {
            compute(sourceId);
        } catch (RuntimeException e) {
            LOG.warnf("failover plan of %s not computed: %s", sourceId, e.getMessage());
            SourcePlan before = latest.get(sourceId);
            latest.put(sourceId, new SourcePlan(sourceId, before == null ? null : before.computedAt(),
                    before == null ? null : before.ratios(), before == null ? List.of()
                    : before.reservedHosts(), before == null ? List.of() : before.hosts(),
                    String.valueOf(e.getMessage()), now));
        }
    }

    /**
     * Computes the plans of every host of the source now: two reads (Nova: the hypervisors, the servers' pages; oVirt:
     * the hosts, the VMs).
     */
    public SourcePlan compute(String sourceId) {
        EvacuationConfig.Source src = platforms.require(sourceId);
        if (src.kind() == EvacuationConfig.Kind.OVIRT) {
            return publish(computeOvirt(sourceId, src));
        }
        NovaApi nova = platforms.nova(sourceId);
        List<NovaApi.Hypervisor> hypervisors = nova.hypervisors();
        List<NovaApi.Server> servers = nova.servers();
        Map<String, VmView> views = new HashMap<>();
        sourceViews(sourceId, views);
        java.util.function.Function<NovaApi.Server, EvacuableRule.Verdict> verdicts = EvacuableRule.fromCloud(nova, src,
                servers);
        List<FailoverPlanner.Compute> computes = ForecastInputs.computes(hypervisors);
        FailoverPlanner.Ratios ratios = ForecastInputs.ratios(src);
        Map<String, List<NovaApi.Server>> byHost = servers.stream().filter(s -> s.host() != null)
                .collect(Collectors.groupingBy(NovaApi.Server::host, LinkedHashMap::new, Collectors.toList()));
        List<HostPlan> hosts = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (NovaApi.Hypervisor h : hypervisors) {
            if (h.host() == null || !seen.add(h.host())) {
                continue;   // one plan per compute service host (Ironic registers many hypervisors under one)
            }
            List<NovaApi.Server> on = byHost.getOrDefault(h.host(), List.of());
            List<PlannedMove> moves = RecoveryPlanner.openstack(sourceId, on, views, verdicts, nova.microversion(),
                    null);
            hosts.add(new HostPlan(HostKey.of(SourceId.of(sourceId), h.host()).toString(), h.host(), h.state(),
                    h.status(), on.size(), ForecastInputs.place(h.host(), moves, on, computes, src, ratios),
                    moves.stream().filter(m -> m.state() == MoveState.SKIPPED).toList()));
        }
        return publish(new SourcePlan(sourceId, Instant.now(), ratios, src.reservedHosts().orElse(List.of()),
                hosts, null, null));
    }

    private SourcePlan publish(SourcePlan plan) {
        latest.put(plan.source(), plan);
        for (HostPlan h : plan.hosts()) {
            gauge(plan.source(), h.host(), h.unplaceable().size());
        }
        publishChanges(plan);
        return plan;
    }

    private SourcePlan computeOvirt(String sourceId, EvacuationConfig.Source src) {
        OvirtApi api = platforms.ovirt(sourceId);
        List<OvirtApi.Host> hosts = api.hosts();
        List<OvirtApi.Vm> vms = api.vms();
        List<FailoverPlanner.EngineHost> engineHosts = ForecastInputs.engineHosts(hosts);
        List<HostPlan> plans = new ArrayList<>();
        for (OvirtApi.Host h : hosts) {
            List<OvirtApi.Vm> on = vms.stream().filter(v -> h.id().equals(v.hostId())
                    && ForecastInputs.OVIRT_RUNNING.contains(v.status())).sorted(ForecastInputs.ENGINE_ORDER).toList();
            plans.add(new HostPlan(HostKey.of(SourceId.of(sourceId), h.id()).toString(), h.name(), h.status(),
                    null, on.size(), FailoverPlanner.ovirt(h.id(), on.stream().map(ForecastInputs::engineVm)
                    .toList(), engineHosts), List.of()));
        }
        return new SourcePlan(sourceId, Instant.now(), null, List.of(), plans, null, null);
    }

    private void gauge(String sourceId, String host, int unplaceable) {
        String key = sourceId + "/" + host;
        if (gauges.put(key, unplaceable) == null) {
            Gauge.builder("lifeboat.failover.unplaceable.vms", gauges, g -> g.getOrDefault(key, 0))
                    .description("Instances of the host that would not fit anywhere if it failed now")
                    .tag("source", sourceId).tag("host", host).register(metrics);
        }
    }

    /** Fills the source's VM views by id (for the priorities Nova does not show). */
    @Transactional
    void sourceViews(String sourceId, Map<String, VmView> out) {
        VmView.ofSource(sourceId, out);
    }

    /**
     * One event per host whose unplaceable set changed since the last one published (the first for a host only when
     * something would not fit), in one transaction with the row that remembers it. The row is changed conditionally
     * (insert if absent, update only from the value this replica read), so that of two replicas computing the same
     * change, one publishes it.
     */
    @Transactional
    void publishChanges(SourcePlan plan) {
        for (HostPlan h : plan.hosts()) {
            List<FailoverPlanner.Placement> unplaced = h.unplaceable();
            String ids = unplaced.stream().map(FailoverPlanner.Placement::vmId).sorted()
                    .collect(Collectors.joining(","));
            int evacuable = h.placements().size();
            FailoverForecast row = FailoverForecast.findById(h.hostKey());
            if (row != null && row.unplaceable.equals(ids)) {
                continue;
            }
            int changed;
            if (row == null) {
                changed = em.createNativeQuery("insert into failover_forecast (host_key, source_id, host_name,"
                                + " evacuable, unplaceable, computed_at) values (?1, ?2, ?3, ?4, ?5, ?6)"
                                + " on conflict (host_key) do nothing")
                        .setParameter(1, h.hostKey()).setParameter(2, plan.source()).setParameter(3, h.host())
                        .setParameter(4, evacuable).setParameter(5, ids).setParameter(6, plan.computedAt())
                        .executeUpdate();
                if (ids.isEmpty()) {
                    continue;   // a host whose instances all fit: remembered, nothing to say
                }
            } else {
                changed = em.createNativeQuery("update failover_forecast set unplaceable = ?1, evacuable = ?2,"
                                + " computed_at = ?3 where host_key = ?4 and unplaceable = ?5")
                        .setParameter(1, ids).setParameter(2, evacuable).setParameter(3, plan.computedAt())
                        .setParameter(4, h.hostKey()).setParameter(5, row.unplaceable).executeUpdate();
            }
            if (changed == 0) {
                continue;   // another replica published this change
            }
            SourceId source = SourceId.of(plan.source());
            outbox.add(new FailoverForecastChanged(HostKey.parse(h.hostKey()), h.host(), evacuable, unplaced.stream()
                    .map(p -> new FailoverForecastChanged.Unplaceable(VmKey.of(source, p.vmId()), p.name(), p.vcpus(),
                            p.ramMb(), p.reason())).toList(), plan.computedAt()), plan.computedAt());
            LOG.infof("failover plan of %s: %d of %d instances would not fit anywhere if it failed now%s", h.host(),
                    unplaced.size(), evacuable, unplaced.isEmpty() ? "" : " (" + unplaced.stream()
                            .map(FailoverPlanner.Placement::name).collect(Collectors.joining(", ")) + ")");
        }
    }
}
