package io.lifeboat.evacuation.recovery;

import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.recovery.RecoveryStep;
import io.lifeboat.evacuation.audit.AuditLog;
import io.lifeboat.evacuation.platform.Platforms;
import io.lifeboat.evacuation.platform.openstack.NovaApi;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Optional;

@ApplicationScoped
class ForceServiceDownStep implements Step {

    @Inject
    Platforms platforms;

    @Inject
    AuditLog audit;

    @Override
    public RecoveryStep name() {
        return RecoveryStep.FORCE_SERVICE_DOWN;
    }

    /** Nova: force the compute service down and disable it, instead of waiting for it to time out (Masakari: 180 s). */
    @Override
    public boolean run(RecoveryRun run, Attempt attempt) {
        String host = HostKey.parse(run.hostKey).hostId();
        NovaApi nova = platforms.nova(run.sourceId);
        Optional<NovaApi.ComputeService> s = nova.computeService(host);
        if (s.isEmpty()) {
            throw new IllegalStateException("Nova has no nova-compute service on " + host);
        }
        if (!Boolean.TRUE.equals(s.get().forcedDown()) || !"disabled".equals(s.get().status())) {
            NovaApi.ComputeService after = nova.forceDown(host, "lifeboat: host failure, fenced; run " + run.id);
            audit.record("system", "force-down", run.hostKey, false, "OK", "forced_down=" + after.forcedDown()
                    + ", status=" + after.status() + ", state=" + after.state());
        }
        return true;
    }
}
