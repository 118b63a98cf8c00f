package io.lifeboat.evacuation.inventory;

import io.lifeboat.evacuation.view.HostView;
import io.lifeboat.evacuation.view.SourceView;
import io.lifeboat.evacuation.view.VmView;

import io.lifeboat.common.change.CollectionCycleFinished;
import io.lifeboat.common.change.CycleOutcome;
import io.lifeboat.common.id.VmKey;
import io.lifeboat.common.inventory.HostState;
import io.lifeboat.common.inventory.VmState;
import io.lifeboat.common.inventory.VmStatus;
import io.lifeboat.evacuation.failure.HostFailureLifecycle;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/**
 * Keeps the host and VM views from the inventory topics. A host state is also the failure signal: it goes to the
 * lifecycle in the same transaction, so a redelivered state neither opens a second episode nor misses one.
 */
@ApplicationScoped
public class InventoryViews {

    /** A VM in one of these states holds its host: it was running there, or is lost with it (unknown). */
    private static final java.util.Set<VmStatus> ALIVE = java.util.EnumSet.of(VmStatus.RUNNING, VmStatus.PAUSED,
            VmStatus.SUSPENDED, VmStatus.STARTING, VmStatus.STOPPING, VmStatus.MIGRATING, VmStatus.NOT_RESPONDING,
            VmStatus.UNKNOWN, VmStatus.REBUILDING);

    @Inject
    HostFailureLifecycle lifecycle;

    @Inject
    io.lifeboat.evacuation.recovery.PausedVmMigrations pausedVms;

    /** A host state, inside the batch's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void applyHost(HostState s) {
        HostView v = HostView.findById(s.host().toString());
        if (v != null && v.observedAt.isAfter(s.observedAt())) {
            return;   // an older state delivered late
        }
        if (v == null) {
            v = new HostView();
            v.hostKey = s.host().toString();
        }
        v.sourceId = s.host().source().value();
        v.platform = s.platform().name();
        v.hostId = s.host().hostId();
        v.name = s.name();
        v.clusterId = s.cluster() == null ? null : s.cluster().id();
        v.status = s.status();
        v.platformStatus = s.platformStatus();
        v.powerManagement = s.powerManagementEnabled();
        v.computeServiceId = s.computeService() == null ? null : s.computeService().id();
        v.address = s.address();
        v.observedAt = s.observedAt();
        v.persist();
        lifecycle.hostObserved(v);
    }

    /**
     * A collection cycle finished: unless it failed, its host count is the source's complete host list (a partial
     * cycle still lists every host; what it skips are items it could not read).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void applyCycle(CollectionCycleFinished c) {
        if (c.outcome() == CycleOutcome.FAILED) {
            return;
        }
        SourceView v = SourceView.findById(c.source().value());
        if (v != null && v.cycleFinishedAt.isAfter(c.finishedAt())) {
            return;   // an older cycle delivered late
        }
        if (v == null) {
            v = new SourceView();
            v.sourceId = c.source().value();
        }
        v.hosts = c.hosts();
        v.cycleOutcome = c.outcome().name();
        v.cycleFinishedAt = c.finishedAt();
        v.persist();
    }

    /** A VM state, inside the batch's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void applyVm(VmState s) {
        VmView v = VmView.findById(s.vm().toString());
        if (v != null && v.observedAt.isAfter(s.observedAt())) {
            return;
        }
        if (v == null) {
            v = new VmView();
            v.vmKey = s.vm().toString();
        }
        v.sourceId = s.vm().source().value();
        v.vmId = s.vm().vmId();
        v.name = s.name();
        v.clusterId = s.cluster() == null ? null : s.cluster().id();
        v.hostKey = s.host() == null ? null : s.host().key().toString();
        if (v.hostKey != null) {
            v.lastHostKey = v.hostKey;
        }
        boolean alive = ALIVE.contains(s.status());
        if (alive && v.hostKey != null) {
            if (v.runningHostKey != null && !v.runningHostKey.equals(v.hostKey)) {
                v.movedFromHostKey = v.runningHostKey;
                v.movedAt = s.observedAt();
            }
            v.runningHostKey = v.hostKey;
            v.downSince = null;
        } else if (!alive && v.downSince == null) {
            v.downSince = s.observedAt();
        }
        v.status = s.status().name();
        v.statusDetail = s.statusDetail();
        v.haEnabled = s.ha().enabled();
        v.haPriority = s.ha().priority();
        v.removed = false;
        v.observedAt = s.observedAt();
        v.persist();
        if (v.pausedOnStorageError()) {
            pausedVms.pausedOnStorageError(v);
        }
    }

    /** A VM gone from the inventory (a tombstone), inside the batch's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void removed(VmKey vm) {
        VmView v = VmView.findById(vm.toString());
        if (v != null) {
            v.removed = true;
        }
    }
}
