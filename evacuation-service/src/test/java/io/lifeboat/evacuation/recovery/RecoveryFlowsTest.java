package io.lifeboat.evacuation.recovery;

import io.lifeboat.common.recovery.RecoveryStep;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.lifeboat.common.recovery.RecoveryStep.EVACUATE_INSTANCES;
import static io.lifeboat.common.recovery.RecoveryStep.FENCE_HOST;
import static io.lifeboat.common.recovery.RecoveryStep.FORCE_SERVICE_DOWN;
import static io.lifeboat.common.recovery.RecoveryStep.MIGRATE_PAUSED_VMS;
import static io.lifeboat.common.recovery.RecoveryStep.PREPARE_INSTANCE_LIST;
import static io.lifeboat.common.recovery.RecoveryStep.START_VMS;
import static io.lifeboat.common.recovery.RecoveryStep.VERIFY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecoveryFlowsTest {

    /** The steps a run walks through when every step succeeds and no move is reopened. */
    private static List<RecoveryStep> walk(String platform, RecoveryRun.Kind kind) {
        RecoveryFlows.Flow flow = RecoveryFlows.of(platform, kind);
        List<RecoveryStep> seen = new ArrayList<>();
        for (RecoveryStep s = flow.first(); s != null; s = flow.after(s, false)) {
            seen.add(s);
        }
        return seen;
    }

    @Test
    void openStackForcesTheServiceDownBeforeEvacuatingAsMasakariDoes() {
        assertThat(walk("OPENSTACK", RecoveryRun.Kind.HOST)).containsExactly(FENCE_HOST, FORCE_SERVICE_DOWN,
                PREPARE_INSTANCE_LIST, EVACUATE_INSTANCES, VERIFY);
        assertThat(walk("OPENSTACK", RecoveryRun.Kind.VM)).containsExactly(FENCE_HOST, FORCE_SERVICE_DOWN,
                PREPARE_INSTANCE_LIST, EVACUATE_INSTANCES, VERIFY);
    }

    @Test
    void onOpenStackTheInstanceListIsPreparedBesideTheForceDownAndNothingElseIsBegunBeside() {
        for (RecoveryRun.Kind kind : List.of(RecoveryRun.Kind.HOST, RecoveryRun.Kind.VM)) {
            RecoveryFlows.Flow flow = RecoveryFlows.of("OPENSTACK", kind);
            for (RecoveryStep s : walk("OPENSTACK", kind)) {
                assertThat(flow.besideOf(s)).as(s.name()).isEqualTo(s == FORCE_SERVICE_DOWN ? PREPARE_INSTANCE_LIST
                        : null);
            }
        }
        // oVirt decides its list from when the host was fenced: after the fence, never beside it
        for (RecoveryRun.Kind kind : List.of(RecoveryRun.Kind.HOST, RecoveryRun.Kind.STORAGE)) {
            RecoveryFlows.Flow flow = RecoveryFlows.of("OVIRT", kind);
            assertThat(walk("OVIRT", kind)).allSatisfy(s -> assertThat(flow.besideOf(s)).isNull());
        }
    }

    @Test
    void oVirtConfirmsTheFenceToTheEngineThenStartsTheVms() {
        assertThat(walk("OVIRT", RecoveryRun.Kind.HOST)).containsExactly(FENCE_HOST, PREPARE_INSTANCE_LIST,
                START_VMS, VERIFY);
    }

    @Test
    void aStorageRunGoesBackToItsMigrationsWhileAMoveIsOpenAndOnlyThen() {
        RecoveryFlows.Flow storage = RecoveryFlows.of("OVIRT", RecoveryRun.Kind.STORAGE);
        assertThat(walk("OVIRT", RecoveryRun.Kind.STORAGE)).containsExactly(MIGRATE_PAUSED_VMS, VERIFY);
        assertThat(storage.after(VERIFY, true)).isEqualTo(MIGRATE_PAUSED_VMS);
        assertThat(storage.after(VERIFY, false)).isNull();
        // a host run never goes back: its moves are settled before VERIFY
        assertThat(RecoveryFlows.of("OVIRT", RecoveryRun.Kind.HOST).after(VERIFY, true)).isNull();
    }

    @Test
    void aStepOutsideTheRunsFlowIsAnErrorNotASilentJump() {
        // e.g. a run persisted at FORCE_SERVICE_DOWN whose platform is oVirt
        assertThatThrownBy(() -> RecoveryFlows.of("OVIRT", RecoveryRun.Kind.HOST).after(FORCE_SERVICE_DOWN, false))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("FORCE_SERVICE_DOWN");
        assertThatThrownBy(() -> RecoveryFlows.of("OPENSTACK", RecoveryRun.Kind.STORAGE))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
