package io.lifeboat.evacuation.fencing;

import io.lifeboat.evacuation.platform.CloudCallException;
import io.lifeboat.evacuation.platform.CloudCalls;
import io.lifeboat.evacuation.platform.ovirt.OvirtApi;

import java.time.Duration;

/**
 * Fences through the oVirt engine's power management: {@code fence_type=stop}, then {@code status} until off
 * (wire-formats.md D.4). The engine then marks the host's VMs down and restarts its HA VMs itself.
 */
public final class OvirtEngineFencer implements Fencer {

    private final OvirtApi engine;
    private final Duration timeout;

    public OvirtEngineFencer(OvirtApi engine, Duration timeout) {
        this.engine = engine;
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return "ovirt-engine";
    }

    @Override
    public FenceOutcome fence(Target host) {
        try {
            OvirtApi.Host h = engine.host(host.hostId()).orElse(null);
            if (h == null) {
                return FenceOutcome.unavailable("the engine does not know host " + host.name());
            }
            if (!h.powerManagement()) {
                return FenceOutcome.unavailable("power management is not configured for host " + h.name()
                        + " on the engine");
            }
            engine.fenceStop(h.id());
            long deadline = System.nanoTime() + timeout.toNanos();
            String status;
            while (!"off".equals(status = engine.powerStatus(h.id()))) {
                if (System.nanoTime() > deadline) {
                    return FenceOutcome.failed("power status still '" + status + "' " + timeout.toSeconds()
                            + " s after the stop");
                }
                CloudCalls.sleep(1000);
            }
            return FenceOutcome.fenced("engine power management: stop, status off");
        } catch (CloudCallException e) {
            return FenceOutcome.failed(e.getMessage());
        }
    }
}
