package io.lifeboat.evacuation.recovery;

import io.lifeboat.common.recovery.RecoveryStep;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.HashMap;
import java.util.UUID;

/**
 * Makes every query of a recovery run once at startup, on a run that does not exist (each reads or changes nothing).
 * A service may wait weeks for its first failure; Hibernate parses each HQL statement the first time it is made, with
 * an ANTLR parser whose shared cache is guarded by one lock. Measured on the first run of a fresh process
 * ({@code ./lifeboat bench evacuation-scale}): 16 move threads parsing the same few statements at once spent 10 s
 * waiting on that lock, and the first evacuate call went out 8.8 s after its move was marked ONGOING.
 */
@ApplicationScoped
public class RecoveryWarmup {

    private static final Logger LOG = Logger.getLogger(RecoveryWarmup.class);
    private static final UUID NONE = new UUID(0, 0);

    @Inject
    RunRecords records;

    @Inject
    MoveTransitions moves;

    @Inject
    StepLog steps;

    @Inject
    PrepareInstanceListStep planning;

    void onStart(@Observes StartupEvent e) {
        long t0 = System.nanoTime();
        try {
            records.claimable();
            records.claim(NONE);
            records.claimAndRead(NONE);
            records.stepDone(NONE, -1, true, RecoveryStep.FENCE_HOST, RecoveryStep.FORCE_SERVICE_DOWN);
            records.giveUp(NONE, "warm-up");
            moves.openMoves(NONE);
            moves.openMoveStates(NONE);
            moves.hasMoves(NONE);
            moves.markOngoing(null, -1, 0, null);
            moves.accepted(NONE, null, null, java.time.Instant.now());
            steps.progress(NONE);
            planning.views("-", Instant.EPOCH);
            planning.views("-", java.util.List.of("-"), new HashMap<>());
            reads();
            LOG.debugf("recovery queries prepared in %d ms", (System.nanoTime() - t0) / 1_000_000);
        } catch (RuntimeException ex) {
            // Only slower: the queries are parsed on first use instead. The database may not be up yet.
            LOG.infof("recovery queries not prepared at startup (%s); they will be on first use", ex.toString());
        }
    }

    @Transactional
    void reads() {
        StepAttempt.count("runId = ?1 and step = ?2", NONE, RecoveryStep.FENCE_HOST);
        RecoveryRuns.activeFor("-");
    }
}
