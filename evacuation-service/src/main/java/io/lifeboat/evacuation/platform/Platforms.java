package io.lifeboat.evacuation.platform;

import io.lifeboat.cloud.CloudCalls;
import io.lifeboat.cloud.Password;
import io.lifeboat.evacuation.config.EvacuationConfig;
import io.lifeboat.evacuation.fencing.Fencer;
import io.lifeboat.evacuation.fencing.OvirtEngineFencer;
import io.lifeboat.evacuation.fencing.RedfishFencer;
import io.lifeboat.evacuation.platform.openstack.NovaApi;
import io.lifeboat.evacuation.platform.openstack.NovaHttpClient;
import io.lifeboat.evacuation.platform.ovirt.OvirtApi;
import io.lifeboat.evacuation.platform.ovirt.OvirtSdkClient;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The configured sources' API clients and fencers, built on first use. */
@ApplicationScoped
public class Platforms {

    @Inject
    EvacuationConfig config;

    @Inject
    MeterRegistry metrics;

    private final Map<String, Object> clients = new ConcurrentHashMap<>();
    private final Map<String, List<Fencer>> fencers = new ConcurrentHashMap<>();

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

    /**
     * The source's fencers in the order they are tried ({@code fencers}, else the one {@code fencer}, else the
     * platform's default); empty when it has none, so every failure there waits for an operator.
     */
    public List<Fencer> fencers(String sourceId) {
        return fencers.computeIfAbsent(sourceId, id -> source(id).map(s -> {
            List<EvacuationConfig.FencerKind> kinds = s.fencers().orElse(List.of(s.fencer().orElse(
                    s.kind() == EvacuationConfig.Kind.OVIRT ? EvacuationConfig.FencerKind.OVIRT
                            : EvacuationConfig.FencerKind.NONE)));
            List<Fencer> chain = new java.util.ArrayList<>();
            for (EvacuationConfig.FencerKind kind : kinds) {
                switch (kind) {
                    case NONE -> { }
                    case OVIRT -> chain.add(new OvirtEngineFencer(ovirt(id), s.redfish().powerOffTimeout(),
                            s.engineFenceWait()));
                    case REDFISH -> chain.add(new RedfishFencer(s.redfish().systemUrl().orElseThrow(() ->
                            new IllegalStateException("lifeboat.evacuation.sources." + id + ".redfish.system-url"
                                    + " is required for the redfish fencer")), s.redfish().username().orElse(null),
                            password(id, s.redfish().password(), s.redfish().passwordFile()),
                            s.redfish().session(), s.redfish().powerOffTimeout(), calls(id, s))
                            .trustStore(s.redfish().trustStore().orElse(null), s.redfish().verifyHostname()));
                }
            }
            return List.copyOf(chain);
        }).orElse(List.of()));
    }

    /** The source's BMCs, read by the detection probes: empty without {@code redfish.system-url}. */
    public Optional<RedfishFencer> bmcs(String sourceId) {
        return configured(sourceId).flatMap(s -> s.redfish().systemUrl().map(url -> (RedfishFencer) clients.computeIfAbsent(
                sourceId + "#bmc", id -> new RedfishFencer(url, s.redfish().username().orElse(null),
                        password(sourceId, s.redfish().password(), s.redfish().passwordFile()), s.redfish().session(),
                        s.redfish().powerOffTimeout(), calls(sourceId, s))
                        .trustStore(s.redfish().trustStore().orElse(null), s.redfish().verifyHostname()))));
    }

    private CloudCalls calls(String id, EvacuationConfig.Source s) {
        return new CloudCalls(id, "lifeboat.evacuation", s.callTimeout(), s.retries(), metrics);
    }

    private static String password(String id, Optional<String> password, Optional<Path> file) {
        return Password.of(id, password, file).get();
    }
}
