package io.lifeboat.evacuation.platform;

import io.lifeboat.cloud.CloudCalls;
import io.lifeboat.evacuation.config.EvacuationConfig;
import io.lifeboat.evacuation.platform.openstack.NovaApi;
import io.lifeboat.evacuation.platform.openstack.NovaHttpClient;
import io.lifeboat.evacuation.platform.ovirt.OvirtApi;
import io.lifeboat.evacuation.platform.ovirt.OvirtSdkClient;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The configured sources' API clients, built on first use (the fencers: {@code fencing.Fencers}). */
@ApplicationScoped
public class Platforms {

    @Inject
    EvacuationConfig config;

    @Inject
    MeterRegistry metrics;

    private final Map<String, Object> clients = new ConcurrentHashMap<>();

    /** The source's configuration, when it is configured and enabled for recovery. */
    public Optional<EvacuationConfig.Source> source(String sourceId) {
        return Optional.ofNullable(config.sources().get(sourceId)).filter(EvacuationConfig.Source::enabled);
    }

    /**
     * The source's configuration, enabled or not: its detection settings (grace period, partition threshold, complete
     * view timeout) apply to failures tracked with recovery switched off too.
     */
    public Optional<EvacuationConfig.Source> configured(String sourceId) {
        return Optional.ofNullable(config.sources().get(sourceId));
    }

    public EvacuationConfig.Source require(String sourceId) {
        return source(sourceId).orElseThrow(() -> new IllegalStateException("source " + sourceId
                + " is not configured for recovery (lifeboat.evacuation.sources." + sourceId + ")"));
    }

    public NovaApi nova(String sourceId) {
        EvacuationConfig.Source s = require(sourceId);
        if (s.kind() != EvacuationConfig.Kind.OPENSTACK) {
            throw new IllegalStateException(sourceId + " is not an OpenStack source");
        }
        return (NovaApi) clients.computeIfAbsent(sourceId, id -> new NovaHttpClient(s, calls(id, s),
                Clock.systemUTC()));
    }

    public OvirtApi ovirt(String sourceId) {
        EvacuationConfig.Source s = require(sourceId);
        if (s.kind() != EvacuationConfig.Kind.OVIRT) {
            throw new IllegalStateException(sourceId + " is not an oVirt source");
        }
        return (OvirtApi) clients.computeIfAbsent(sourceId, id -> new OvirtSdkClient(s, calls(id, s)));
    }

    /** The source's cloud calls: a circuit breaker and counters of their own per client built. */
    public CloudCalls calls(String id, EvacuationConfig.Source s) {
        return new CloudCalls(id, "lifeboat.evacuation", s.callTimeout(), s.retries(), metrics);
    }

}
