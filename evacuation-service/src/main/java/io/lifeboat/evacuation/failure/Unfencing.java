package io.lifeboat.evacuation.failure;

import io.lifeboat.common.failure.HostFailurePhase;
import io.lifeboat.evacuation.episode.HostFailure;
import io.lifeboat.evacuation.audit.AuditLog;
import io.lifeboat.evacuation.config.EvacuationConfig;
import io.lifeboat.evacuation.detection.Evidence;
import io.lifeboat.evacuation.detection.HostEvidence;
import io.lifeboat.evacuation.detection.HostVerdict;
import io.lifeboat.evacuation.view.HostView;
import io.lifeboat.cloud.CloudCallException;
import io.lifeboat.evacuation.platform.Platforms;
import io.lifeboat.evacuation.platform.openstack.NovaApi;
import io.lifeboat.evacuation.recovery.RecoveryRuns;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Unfencing (Pacemaker's unfence): a Nova host Lifeboat forced down stays down until it is unfenced, and it is unfenced
 * only when it is back, its recovery has ended and nothing of it is pending: the probes read its BMC On, its
 * management port open and its heartbeat fresh (every probe that reads the host clear). Then {@code forced_down} is
 * unset and the service enabled, by an operator ({@code POST /api/v1/episodes/{id}/unfence}, {@code unfence=approval},
 * the default) or at once ({@code unfence=auto}); the episode closes when Nova reports the host up.
 */
@ApplicationScoped
public class Unfencing {

    private static final Logger LOG = Logger.getLogger(Unfencing.class);
    /** How long an automatic unfence that failed waits before it is tried again. */
    private static final Duration AUTO_RETRY = Duration.ofSeconds(30);

    @Inject
    Platforms platforms;

    @Inject
    HostEvidence evidence;

    @Inject
    AuditLog audit;

    @Inject
    EntityManager em;

    private final Map<UUID, Instant> lastAutoAttempt = new ConcurrentHashMap<>();

    /** What stops the episode's host from being unfenced now; empty when nothing does. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<String> blockers(HostFailure f) {
        List<String> b = new ArrayList<>();
        if (!"OPENSTACK".equals(f.platform)) {
            b.add("unfence applies to a Nova compute service Lifeboat forced down; an oVirt host is activated on its"
                    + " engine");
            return b;
        }
        if (!f.open()) {
            b.add("the episode is closed (" + f.phase + ")");
        } else if (!f.fenced()) {
            b.add("the host was not fenced");
        } else if (!f.phase.recovered()) {
            b.add("its recovery has not ended (" + f.phase + ")");
        }
        RecoveryRuns.activeFor(f.hostKey).ifPresent(r -> b.add("run " + r.id + " of the host is " + r.state));
        HostView host = HostView.findById(f.hostKey);
        if (host == null) {
            b.add("the host is not in the inventory");
            return b;
        }
        Collection<Evidence> probes = evidence.probes(host.hostKey);
        if (probes.isEmpty()) {
            b.add("no probe reads this host (detection is off for " + f.sourceId + "): nothing says it is back; unset"
                    + " forced_down in Nova once you know it is");
        } else {
            // The platform still reports it down (forced down): only the probes can say it is back.
            HostVerdict v = HostVerdict.of(false, host.platformStatus, host.observedAt, probes);
            if (!v.clear()) {
                b.add("the probes do not say the host is back: " + v.reason() + " ("
                        + probes.stream().map(e -> e.kind().name().toLowerCase(java.util.Locale.ROOT) + " "
                        + e.reading() + ": " + e.detail()).reduce((x, y) -> x + "; " + y).orElse("") + ")");
            }
        }
        return b;
    }

    /** The Nova call, outside any transaction: forced_down unset, the service enabled. */
    public NovaApi.ComputeService unfence(String sourceId, String hostName) {
        return platforms.nova(sourceId).unfence(hostName);
    }

    /** {@code unfence=auto}: the episode's host is unfenced as soon as nothing blocks it (at most every 30 s). */
    boolean auto(String sourceId) {
        return platforms.source(sourceId).map(EvacuationConfig.Source::unfence)
                .orElse(EvacuationConfig.Unfence.OFF) == EvacuationConfig.Unfence.AUTO;
    }

    /** Open, recovered OpenStack episodes of sources with {@code unfence=auto}: their hosts may be unfenced. */
    @Transactional
    List<UUID> recoveredToUnfence() {
        List<HostFailure> recovered = em.createQuery("select f from HostFailure f where f.closedAt is null and"
                + " f.platform = 'OPENSTACK' and f.phase in (:r, :p)", HostFailure.class)
                .setParameter("r", HostFailurePhase.RECOVERED).setParameter("p", HostFailurePhase.PARTIALLY_RECOVERED)
                .getResultList();
        return recovered.stream().filter(f -> auto(f.sourceId)).map(f -> f.id).toList();
    }

    /** The episode, when nothing blocks unfencing its host now; else null. */
    @Transactional
    HostFailure unfenceDue(UUID id) {
        HostFailure f = HostFailure.findById(id);
        return f != null && blockers(f).isEmpty() ? f : null;
    }

    /**
     * The host was unfenced (forced_down unset, service enabled): audited; the episode stays open until Nova reports
     * the host up, which closes it.
     */
    @Transactional
    public void unfenced(UUID id, String actor, String detail) {
        HostFailure f = HostFailure.findById(id);
        if (f == null) {
            return;
        }
        Instant now = Instant.now();
        audit.record(actor, "unfence", f.hostKey, false, "UNFENCED", detail);
        f.reason = f.reason + "; " + detail + "; the episode closes when Nova reports the host up";
        f.updatedAt = now;
        LOG.infof("host %s (%s) unfenced by %s", f.hostName, f.hostKey, actor);
    }

    @Transactional
    void unfenceFailed(UUID id, String error) {
        HostFailure f = HostFailure.findById(id);
        if (f != null) {
            audit.record("system", "unfence", f.hostKey, false, "FAILED", error);
        }
    }

    /** One automatic unfence try; outside any transaction. */
    void tryAuto(UUID episodeId) {
        Instant now = Instant.now();
        Instant last = lastAutoAttempt.get(episodeId);
        if (last != null && now.isBefore(last.plus(AUTO_RETRY))) {
            return;
        }
        HostFailure f = unfenceDue(episodeId);
        if (f == null) {
            return;
        }
        lastAutoAttempt.put(episodeId, now);
        try {
            NovaApi.ComputeService s = unfence(f.sourceId, f.hostName);
            unfenced(episodeId, "system", "unfenced automatically (unfence=auto): the host is back;"
                    + " forced_down unset, service " + s.status());
        } catch (CloudCallException e) {
            LOG.warnf("host %s: automatic unfence failed: %s", f.hostName, e.getMessage());
            unfenceFailed(episodeId, e.getMessage());
        }
    }
}
