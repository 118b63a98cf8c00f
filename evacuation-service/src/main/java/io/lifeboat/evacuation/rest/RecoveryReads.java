package io.lifeboat.evacuation.rest;

import io.lifeboat.common.failure.HostFailurePhase;
import io.lifeboat.common.recovery.RecoveryRunState;
import io.lifeboat.evacuation.arming.Arming;
import io.lifeboat.evacuation.audit.AuditEntry;
import io.lifeboat.evacuation.detection.HostEvidence;
import io.lifeboat.evacuation.episode.HostFailure;
import io.lifeboat.evacuation.recovery.InstanceMove;
import io.lifeboat.evacuation.recovery.RecoveryRun;
import io.lifeboat.evacuation.recovery.StepAttempt;
import io.lifeboat.service.rest.ProblemException;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/** What {@link RecoveryResource} shows: episodes, runs and the audit trail, filtered and paged, each in one read. */
@ApplicationScoped
class RecoveryReads {

    /** How long before an episode's first evidence its host's evidence is shown (what it was like before). */
    private static final long EVIDENCE_BEFORE_SECONDS = 60;

    @Inject
    HostEvidence evidence;

    @Inject
    Arming arming;

    @Transactional
    List<Views.Episode> episodes(Boolean open, String source, String host, String phase, int limit) {
        Parameters p = new Parameters();
        StringBuilder q = new StringBuilder("1 = 1");
        if (open != null) {
            q.append(open ? " and closedAt is null" : " and closedAt is not null");
        }
        if (source != null) {
            q.append(" and sourceId = :source");
            p.and("source", source);
        }
        if (host != null) {
            q.append(" and (hostKey = :host or hostName = :host)");
            p.and("host", host);
        }
        if (phase != null) {
            q.append(" and phase = :phase");
            p.and("phase", value(HostFailurePhase.class, "phase", phase));
        }
        return HostFailure.<HostFailure>find(q.toString(), Sort.descending("firstSignalAt"), p)
                .page(Page.ofSize(limit)).list().stream().map(this::episodeView).toList();
    }

    @Transactional
    Optional<Views.Episode> episode(UUID id) {
        return HostFailure.<HostFailure>findByIdOptional(id).map(this::episodeView);
    }

    /** An episode with its runs, its timings and the evidence about its host from its first evidence to its end. */
    private Views.Episode episodeView(HostFailure f) {
        List<RecoveryRun> runs = RecoveryRun.list("episodeId", Sort.ascending("createdAt"), f.id);
        List<UUID> ids = runs.stream().map(r -> r.id).toList();
        List<StepAttempt> steps = ids.isEmpty() ? List.of() : StepAttempt.ofRuns(ids);
        List<InstanceMove> moves = ids.isEmpty() ? List.of() : InstanceMove.list("runId in ?1", ids);
        return Views.Episode.of(f, runs, arming.armed(f.sourceId), Views.Timings.of(f, runs, steps, moves),
                evidence.history(f.hostKey, f.firstEvidence().minusSeconds(EVIDENCE_BEFORE_SECONDS), f.closedAt));
    }

    @Transactional
    List<Views.Run> runs(String state, String source, String host, int limit) {
        StringBuilder q = new StringBuilder("1 = 1");
        Parameters p = new Parameters();
        if (state != null) {
            q.append(" and state = :state");
            p.and("state", value(RecoveryRunState.class, "state", state));
        }
        if (source != null) {
            q.append(" and sourceId = :source");
            p.and("source", source);
        }
        if (host != null) {
            q.append(" and hostKey = :host");
            p.and("host", host);
        }
        List<RecoveryRun> list = RecoveryRun.find(q.toString(), Sort.descending("createdAt"), p)
                .page(Page.ofSize(limit)).list();
        Map<UUID, List<StepAttempt>> steps = StepAttempt.ofRuns(list.stream().map(r -> r.id).toList()).stream()
                .collect(Collectors.groupingBy(a -> a.runId));
        return list.stream().map(r -> Views.Run.of(r, InstanceMove.ofRun(r.id), steps.getOrDefault(r.id, List.of())))
                .toList();
    }

    @Transactional
    Optional<Views.Run> run(UUID id) {
        return RecoveryRun.<RecoveryRun>findByIdOptional(id).map(r -> Views.Run.of(r, InstanceMove.ofRun(r.id),
                StepAttempt.ofRun(r.id)));
    }

    @Transactional
    List<Views.Audit> audit(String target, String actor, int limit) {
        StringBuilder q = new StringBuilder("1 = 1");
        Parameters p = new Parameters();
        if (target != null) {
            q.append(" and target = :target");
            p.and("target", target);
        }
        if (actor != null) {
            q.append(" and actor = :actor");
            p.and("actor", actor);
        }
        return AuditEntry.<AuditEntry>find(q.toString(), Sort.descending("id"), p).page(Page.ofSize(limit)).list()
                .stream().map(Views.Audit::of).toList();
    }

    /** A filter's enum value, any case; anything else is a 400 naming the parameter and the values it takes. */
    private static <E extends Enum<E>> E value(Class<E> type, String param, String text) {
        try {
            return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("invalid-" + param, param + " must be one of "
                    + Arrays.toString(type.getEnumConstants()));
        }
    }
}
