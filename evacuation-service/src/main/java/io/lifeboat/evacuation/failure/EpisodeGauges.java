package io.lifeboat.evacuation.failure;

import io.lifeboat.evacuation.episode.HostFailure;
import io.lifeboat.common.failure.HostFailurePhase;
import io.lifeboat.common.recovery.RecoveryRunState;
import io.lifeboat.evacuation.config.EvacuationConfig;
import io.lifeboat.evacuation.recovery.RecoveryRun;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What an SRE alerts on, read from the database every 15 s (never at scrape time): the open episodes per phase
 * ({@code lifeboat_evacuation_episodes{phase}}: an episode AWAITING_APPROVAL for long is an operator not answering)
 * and the age of the oldest running run ({@code lifeboat_evacuation_oldest_running_run_seconds}: one past its deadline
 * is a run no replica drives). Every replica reports the same values; alert rules take the max. It also registers the
 * service's counters at zero at start.
 */
@ApplicationScoped
public class EpisodeGauges {

    private static final Logger LOG = Logger.getLogger(EpisodeGauges.class);

    @Inject
    MeterRegistry metrics;

    @Inject
    EvacuationConfig config;

    private final Map<HostFailurePhase, AtomicLong> open = new EnumMap<>(HostFailurePhase.class);
    private final AtomicLong oldestRunSeconds = new AtomicLong();

    void register(@Observes StartupEvent e) {
        for (HostFailurePhase phase : HostFailurePhase.values()) {
            AtomicLong v = new AtomicLong();
            open.put(phase, v);
            Gauge.builder("lifeboat.evacuation.episodes", v, AtomicLong::get).tag("phase", phase.name())
                    .description("Open host-failure episodes in this phase").register(metrics);
        }
        Gauge.builder("lifeboat.evacuation.oldest.running.run", oldestRunSeconds, AtomicLong::get)
                .baseUnit("seconds").description("Age (from its start) of the oldest running recovery run")
                .register(metrics);
        // The counted series at zero from the start, per configured source and platform: an alert on their increase
        // sees the first partition or given-up run (a series born at 1 has no increase), a dashboard shows 0.
        config.sources().forEach((source, s) -> {
            String platform = s.kind().name();
            for (String counter : List.of("lifeboat.evacuation.partitions", "lifeboat.evacuation.quarantines",
                    "lifeboat.evacuation.api.calls", "lifeboat.evacuation.api.errors")) {
                metrics.counter(counter, "source", source);
            }
            metrics.counter("lifeboat.evacuation.runs.given.up", "platform", platform);
            for (String outcome : List.of("evacuated", "failed", "skipped")) {
                metrics.counter("lifeboat.evacuation.instances", "outcome", outcome, "platform", platform);
            }
            for (String milestone : List.of("suspected", "confirmed", "fenced", "first_recovery_call",
                    "last_instance_active")) {
                metrics.timer("lifeboat.evacuation.failure.time", "milestone", milestone, "platform", platform);
            }
        });
    }

    @Scheduled(every = "15s", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void refresh() {
        try {
            List<Object[]> rows = HostFailure.getEntityManager().createQuery(
                    "select f.phase, count(f) from HostFailure f where f.closedAt is null group by f.phase",
                    Object[].class).getResultList();
            Map<HostFailurePhase, Long> counts = new EnumMap<>(HostFailurePhase.class);
            for (Object[] r : rows) {
                counts.put((HostFailurePhase) r[0], (Long) r[1]);
            }
            open.forEach((phase, v) -> v.set(counts.getOrDefault(phase, 0L)));
            // Only RUNNING runs: a run waiting for an operator's approval is not driven and has no deadline yet.
            Instant oldest = RecoveryRun.getEntityManager().createQuery(
                    "select min(coalesce(r.startedAt, r.createdAt)) from RecoveryRun r where r.state = :running",
                    Instant.class).setParameter("running", RecoveryRunState.RUNNING).getSingleResult();
            oldestRunSeconds.set(oldest == null ? 0 : Math.max(0, Duration.between(oldest, Instant.now()).toSeconds()));
        } catch (RuntimeException e) {
            // The database is away: the gauges keep their last values; the pipeline's readiness says why.
            LOG.debugf("episode gauges not refreshed: %s", e.toString());
        }
    }
}
