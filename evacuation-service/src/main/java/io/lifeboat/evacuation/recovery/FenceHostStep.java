package io.lifeboat.evacuation.recovery;

import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.recovery.RecoveryStep;
import io.lifeboat.evacuation.audit.AuditLog;
import io.lifeboat.evacuation.episode.HostFailure;
import io.lifeboat.cloud.CloudCalls;
import io.lifeboat.evacuation.platform.Platforms;
import io.lifeboat.evacuation.platform.ovirt.OvirtApi;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.util.UUID;

/**
 * The host is fenced before a run starts (the episode's lifecycle does it). On oVirt this step confirms it to the
 * engine ("confirm host has been rebooted"), unless the engine fenced it itself, so that it releases the host's VMs;
 * on OpenStack there is nothing to confirm (Nova learns it from the force-down).
 */
@ApplicationScoped
class FenceHostStep implements Step {

    private static final long CONNECTING_POLL_MS = 2000;

    @Inject
    Platforms platforms;

    @Inject
    AuditLog audit;


    @Override
    public RecoveryStep name() {
        return RecoveryStep.FENCE_HOST;
    }

    /** oVirt: once the host is known off (not by the engine itself), tell the engine, so that it frees the VMs. */
    @Override
    public boolean run(RecoveryRun run, Attempt attempt) {
        if ("OVIRT".equals(run.platform)) {
            HostFailure f = run.episodeId == null ? null : episode(run.episodeId);
            if (f != null && !"ovirt-engine".equals(f.fencedBy)) {
                String hostId = HostKey.parse(run.hostKey).hostId();
                OvirtApi api = platforms.ovirt(run.sourceId);
                OvirtApi.Host h = api.host(hostId).orElse(null);
                // The engine accepts "confirm host has been rebooted" for a Connecting host but releases its VMs only
                // once it is non-responsive (FenceVdsManualyCommand, ClearNonResponsiveVdsVmsCommand): wait for that.
                while (h != null && "connecting".equals(h.status())) {
                    if (attempt.stopping().getAsBoolean() || !attempt.renew().getAsBoolean()) {
                        return false;
                    }
                    CloudCalls.sleep(CONNECTING_POLL_MS);
                    h = api.host(hostId).orElse(null);
                }
                if (h != null && !"down".equals(h.status()) && !"up".equals(h.status())) {
                    api.fenceManual(hostId);
                    audit.record("system", "engine-manual-fence", run.hostKey, false, "OK", "host fenced by "
                            + f.fencedBy + "; the engine was told the host is down, so that it frees its VMs");
                }
            }
        }
        return true;
    }

    @Transactional
    HostFailure episode(UUID id) {
        return HostFailure.findById(id);
    }
}
