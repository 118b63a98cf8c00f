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
 *                             → VERIFY
 * oVirt, host or one VM       FENCE_HOST → PREPARE_INSTANCE_LIST → START_VMS → VERIFY
 * oVirt, storage (paused VMs) MIGRATE_PAUSED_VMS → VERIFY, and back to MIGRATE_PAUSED_VMS while a move is open
 * </pre>
 */
final class RecoveryFlows {

    private static final Flow OPENSTACK_HOST = new Flow(List.of(FENCE_HOST, FORCE_SERVICE_DOWN,
            PREPARE_INSTANCE_LIST, EVACUATE_INSTANCES, VERIFY), null);
    private static final Flow OVIRT_HOST = new Flow(List.of(FENCE_HOST, PREPARE_INSTANCE_LIST, START_VMS, VERIFY),
            null);
    private static final Flow OVIRT_STORAGE = new Flow(List.of(MIGRATE_PAUSED_VMS, VERIFY), MIGRATE_PAUSED_VMS);

    private RecoveryFlows() {
    }

    /**
     * @param steps        in order
     * @param reopenedStep where VERIFY sends a run that has open moves again (a storage run gains moves while it
     *                     runs), or null
     */
    record Flow(List<RecoveryStep> steps, RecoveryStep reopenedStep) {

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
