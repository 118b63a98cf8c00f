package io.lifeboat.evacuation.recovery;

import io.lifeboat.common.recovery.RecoveryStep;

import java.util.List;

import static io.lifeboat.common.recovery.RecoveryStep.EVACUATE_INSTANCES;
import static io.lifeboat.common.recovery.RecoveryStep.FENCE_HOST;
import static io.lifeboat.common.recovery.RecoveryStep.FORCE_SERVICE_DOWN;
import static io.lifeboat.common.recovery.RecoveryStep.MIGRATE_PAUSED_VMS;
import static io.lifeboat.common.recovery.RecoveryStep.PREPARE_INSTANCE_LIST;
import static io.lifeboat.common.recovery.RecoveryStep.START_VMS;
import static io.lifeboat.common.recovery.RecoveryStep.VERIFY;

/**
 * The flow table: the steps of a run, in order, per platform and kind of run (Masakari's flows). The engine walks it;
 * no step chooses its successor.
 *
 * <pre>
 * OpenStack, host or one VM   FENCE_HOST → FORCE_SERVICE_DOWN → PREPARE_INSTANCE_LIST → EVACUATE_INSTANCES
 *                             → VERIFY; PREPARE_INSTANCE_LIST begun beside FORCE_SERVICE_DOWN
 * oVirt, host or one VM       FENCE_HOST → PREPARE_INSTANCE_LIST → START_VMS → VERIFY
 * oVirt, storage (paused VMs) MIGRATE_PAUSED_VMS → VERIFY, and back to MIGRATE_PAUSED_VMS while a move is open
 * </pre>
 *
 * <p>A flow may name one step that begins <em>beside</em> the step before it (TaskFlow's unordered flow, for two
 * steps): on OpenStack the instance list is read and stored while Nova takes the force-down, since neither changes
 * what the other reads or writes (the host is fenced: nothing lands on it), and the evacuations wait for both, as Nova
 * requires. Both are recorded as their own attempts; one that fails runs again in its turn.
 */
final class RecoveryFlows {

    private static final Flow OPENSTACK_HOST = new Flow(List.of(FENCE_HOST, FORCE_SERVICE_DOWN,
            PREPARE_INSTANCE_LIST, EVACUATE_INSTANCES, VERIFY), null, PREPARE_INSTANCE_LIST);
    private static final Flow OVIRT_HOST = new Flow(List.of(FENCE_HOST, PREPARE_INSTANCE_LIST, START_VMS, VERIFY),
            null, null);
    private static final Flow OVIRT_STORAGE = new Flow(List.of(MIGRATE_PAUSED_VMS, VERIFY), MIGRATE_PAUSED_VMS,
            null);

    private RecoveryFlows() {
    }

    /**
     * @param steps        in order
     * @param reopenedStep where VERIFY sends a run that has open moves again (a storage run gains moves while it
     *                     runs), or null
     * @param beside       a step begun beside the step before it, or null
     */
    record Flow(List<RecoveryStep> steps, RecoveryStep reopenedStep, RecoveryStep beside) {

        /** The step begun beside {@code step}: the flow's {@code beside} when it comes right after it, else null. */
        RecoveryStep besideOf(RecoveryStep step) {
            int i = beside == null ? -1 : steps.indexOf(beside);
            return i > 0 && steps.get(i - 1) == step ? beside : null;
        }

        RecoveryStep first() {
            return steps.get(0);
        }

        /** The steps after {@code step}, in order. */
        List<RecoveryStep> afterAll(RecoveryStep step) {
            int i = steps.indexOf(step);
            return i < 0 ? List.of() : steps.subList(i + 1, steps.size());
        }

        /** The step after {@code step}; null when the run is done. */
        RecoveryStep after(RecoveryStep step, boolean movesOpen) {
            if (step == VERIFY) {
                return movesOpen && reopenedStep != null ? reopenedStep : null;
            }
            int i = steps.indexOf(step);
            if (i < 0) {
                throw new IllegalStateException(step + " is not a step of this run's flow " + steps);
            }
            return steps.get(i + 1);
        }
    }

    static Flow of(String platform, RecoveryRun.Kind kind) {
        boolean ovirt = "OVIRT".equals(platform);
        if (kind == RecoveryRun.Kind.STORAGE) {
            if (!ovirt) {
                throw new IllegalArgumentException("storage runs exist on oVirt only, not on " + platform);
            }
            return OVIRT_STORAGE;
        }
        return ovirt ? OVIRT_HOST : OPENSTACK_HOST;
    }
}
