package io.lifeboat.evacuation.fencing;

import io.lifeboat.cloud.Password;
import io.lifeboat.evacuation.config.EvacuationConfig;
import io.lifeboat.evacuation.platform.Platforms;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The configured sources' fencers and BMCs, built on first use from their clients in {@link Platforms}. */
@ApplicationScoped
public class Fencers {

    private final Platforms platforms;
    private final Map<String, List<Fencer>> chains = new ConcurrentHashMap<>();
    private final Map<String, RedfishFencer> bmcs = new ConcurrentHashMap<>();

    public Fencers(Platforms platforms) {
        this.platforms = platforms;
    }

    /**
     * The source's fencers in the order they are tried ({@code fencers}, else the one {@code fencer}, else the
     * platform's default); empty when it has none, so every failure there waits for an operator.
     */
    public List<Fencer> fencers(String sourceId) {
        return chains.computeIfAbsent(sourceId, id -> platforms.source(id).map(s -> {
            List<EvacuationConfig.FencerKind> kinds = s.fencers().orElse(List.of(s.fencer().orElse(
                    s.kind() == EvacuationConfig.Kind.OVIRT ? EvacuationConfig.FencerKind.OVIRT
                            : EvacuationConfig.FencerKind.NONE)));
            List<Fencer> chain = new ArrayList<>();
            for (EvacuationConfig.FencerKind kind : kinds) {
                switch (kind) {
                    case NONE -> { }
                    case OVIRT -> chain.add(new OvirtEngineFencer(platforms.ovirt(id), s.redfish().powerOffTimeout(),
                            s.engineFenceWait()));
                    case REDFISH -> chain.add(redfish(id, s, s.redfish().systemUrl().orElseThrow(() ->
                            new IllegalStateException("lifeboat.evacuation.sources." + id + ".redfish.system-url"
                                    + " is required for the redfish fencer"))));
                }
            }
            return List.copyOf(chain);
        }).orElse(List.of()));
    }

    /** The source's BMCs, read by the detection probes: empty without {@code redfish.system-url}. */
    public Optional<RedfishFencer> bmcs(String sourceId) {
        return platforms.configured(sourceId).flatMap(s -> s.redfish().systemUrl().map(url ->
                bmcs.computeIfAbsent(sourceId, id -> redfish(id, s, url))));
    }

    private RedfishFencer redfish(String id, EvacuationConfig.Source s, String systemUrl) {
        return new RedfishFencer(systemUrl, s.redfish().username().orElse(null),
                Password.of(id, s.redfish().password(), s.redfish().passwordFile())::get, s.redfish().session(),
                s.redfish().powerOffTimeout(), platforms.calls(id, s))
                .trustStore(s.redfish().trustStore().orElse(null), s.redfish().verifyHostname());
    }
}
