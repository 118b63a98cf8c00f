package io.lifeboat.evacuation.recovery;

import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.recovery.RecoveryStep;
import io.lifeboat.evacuation.audit.AuditLog;
import io.lifeboat.evacuation.platform.Platforms;
import io.lifeboat.evacuation.platform.openstack.NovaApi;
import io.lifeboat.evacuation.view.HostView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.util.Optional;

@ApplicationScoped
class ForceServiceDownStep implements Step {

    private static final java.util.regex.Pattern UUID_LIKE = java.util.regex.Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    @Inject
    Platforms platforms;

    @Inject
    AuditLog audit;

    @Override
    public RecoveryStep name() {
        return RecoveryStep.FORCE_SERVICE_DOWN;
    }

    /**
     * Nova: force the compute service down and disable it, instead of waiting for it to time out (Masakari: 180 s).
     * With the service's id (a UUID) as the collector last published it, one call (an id that is no longer Nova's
     * falls back to the 2.11 form, by host); without it, the service is read first, and left alone if it is already
     * down and disabled.
     */
    @Override
    public boolean run(RecoveryRun run, Attempt attempt) {
        String host = HostKey.parse(run.hostKey).hostId();
        NovaApi nova = platforms.nova(run.sourceId);
        String reason = "lifeboat: host failure, fenced; run " + run.id;
        String known = knownServiceId(run.hostKey);
        // A UUID: the id the 2.53 form takes (a collector reading Nova below 2.53 publishes the integer id instead).
        if (known != null && UUID_LIKE.matcher(known).matches()) {
            record(run, nova.forceDown(new NovaApi.ComputeService(known, host, null, null, null, null, null), reason));
            return true;
        }
        Optional<NovaApi.ComputeService> s = nova.computeService(host);
        if (s.isEmpty()) {
            throw new IllegalStateException("Nova has no nova-compute service on " + host);
        }
        if (!Boolean.TRUE.equals(s.get().forcedDown()) || !"disabled".equals(s.get().status())) {
            record(run, nova.forceDown(s.get(), reason));
        }
        return true;
    }

    private void record(RecoveryRun run, NovaApi.ComputeService after) {
        audit.record("system", "force-down", run.hostKey, false, "OK", "forced_down=" + after.forcedDown()
                + ", status=" + after.status() + ", state=" + after.state());
    }

    @Transactional
    String knownServiceId(String hostKey) {
        HostView h = HostView.findById(hostKey);
        return h == null ? null : h.computeServiceId;
    }
}
