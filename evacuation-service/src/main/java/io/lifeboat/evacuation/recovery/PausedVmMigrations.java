package io.lifeboat.evacuation.recovery;

import io.lifeboat.common.inventory.HostStatus;
import io.lifeboat.common.recovery.MoveState;
import io.lifeboat.common.recovery.RecoveryRunState;
import io.lifeboat.common.recovery.RecoveryStep;
import io.lifeboat.evacuation.audit.AuditLog;
import io.lifeboat.evacuation.config.EvacuationConfig;
import io.lifeboat.evacuation.view.HostView;
import io.lifeboat.evacuation.view.VmView;
import io.lifeboat.evacuation.platform.Platforms;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * oVirt VMs paused by a storage I/O error on a host that is still up (the host lost its path to the storage domain,
 * wire-formats.md D.5 code 145) are migrated to a host of the cluster that still sees the storage, when the source's
 * policy asks for it ({@code migrate-paused-on-storage-error}). The host is not failed, so nothing is fenced: the
 * engine moves the paused VM, and it resumes on the destination. One STORAGE run per host collects its paused VMs.
 */
@ApplicationScoped
public class PausedVmMigrations {

    @Inject
    Platforms platforms;

    @Inject
    RecoveryRuns runs;

    @Inject
    AuditLog audit;

    /** A VM's state says paused on a storage error: plan its migration if the policy and the host allow. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void pausedOnStorageError(VmView vm) {
        Optional<EvacuationConfig.Source> src = platforms.source(vm.sourceId);
        if (src.isEmpty() || src.get().kind() != EvacuationConfig.Kind.OVIRT
                || !src.get().migratePausedOnStorageError() || vm.hostKey == null) {
            return;
        }
        HostView host = HostView.findById(vm.hostKey);
        if (host == null || host.status != HostStatus.UP) {
            return;   // a failed host is the failure lifecycle's
        }
        Optional<RecoveryRun> active = RecoveryRuns.activeFor(host.hostKey);
        if (active.isPresent() && active.get().kind != RecoveryRun.Kind.STORAGE) {
            return;
        }
        RecoveryRun run = active.orElse(null);
        if (run == null) {
            run = runs.newRun(null, host.hostKey, host.sourceId, host.platform, RecoveryRun.Kind.STORAGE, "system",
                    null);
            run.state = RecoveryRunState.RUNNING;
            run.step = RecoveryStep.MIGRATE_PAUSED_VMS;
            run.startedAt = Instant.now();
            run.detail = "VMs paused on a storage error on " + host.name + ", which is still up";
            run.persist();
            runs.publishRun(run);
        }
        if (InstanceMove.count("runId = ?1 and vmKey = ?2", run.id, vm.vmKey) > 0) {
            return;
        }
        int ordinal = InstanceMove.<InstanceMove>list("runId", run.id).stream().mapToInt(m -> m.ordinal + 1).max()
                .orElse(0);
        runs.addMoves(run, List.of(new PlannedMove(vm.vmKey, vm.vmId, vm.name, InstanceMove.MIGRATE,
                MoveState.PENDING, vm.haPriority, "paused (eio)", false, false, false, null, null,
                "paused on a storage I/O error on " + host.name + ", which is still up")), ordinal);
        audit.record("system", "plan-migrate-paused", vm.vmKey, false, "PENDING", "run " + run.id);
    }

    /**
     * A host of the VM's cluster that is up and, as far as the inventory shows, still sees the storage: none of its
     * VMs is paused on a storage error. The least loaded first.
     */
    @Transactional
    public Optional<HostView> healthyTarget(String sourceId, String vmKey, String excludeHostKey) {
        VmView vm = VmView.findById(vmKey);
        List<VmView> all = VmView.list("sourceId = ?1 and removed = false", sourceId);
        return HostView.<HostView>list("sourceId = ?1 and status = ?2", sourceId, HostStatus.UP).stream()
                .filter(h -> !h.hostKey.equals(excludeHostKey))
                .filter(h -> vm == null || vm.clusterId == null || vm.clusterId.equals(h.clusterId))
                .filter(h -> all.stream().noneMatch(v -> h.hostKey.equals(v.hostKey) && v.pausedOnStorageError()))
                .min(Comparator.comparingLong((HostView h) -> all.stream().filter(v -> h.hostKey.equals(v.hostKey))
                        .count()).thenComparing(h -> h.name));
    }
}
