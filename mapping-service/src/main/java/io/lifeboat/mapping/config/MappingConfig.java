package io.lifeboat.mapping.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Map;

/** The mapping-service's settings ({@code lifeboat.mapping.*}). */
@ConfigMapping(prefix = "lifeboat.mapping")
public interface MappingConfig {

    /**
     * The SAN host object of each hypervisor host, which differs from the cloud's name (Cinder names them
     * {@code <host>-<8 digits>}, wire-formats.md C.2). Keyed by host key ({@code ovirt-1/<uuid>}) or by
     * {@code <source>/<host name>}; a host without an entry uses its own name.
     */
    Map<String, String> sanHostNames();

    /**
     * Publish an unmap plan when a host's status turns DOWN or NON_RESPONSIVE (until the evacuation-service publishes
     * confirmed failures on the host-failures topic, which also trigger a plan).
     */
    @WithDefault("true")
    boolean planOnHostStatusChange();

    /**
     * How long a recovery's plan waits for the history to show every VM of the confirmation's plan observed after
     * the recovery ended (moved, still there, or gone); past it, the plan is built with what is known and says so.
     */
    @WithDefault("15m")
    java.time.Duration recoveryPlanMaxWait();

    /** How often the waiting recovery plans are checked (a scheduler interval: {@code 10s}, {@code 1m}). */
    @WithDefault("10s")
    String recoveryPlanCheck();
}
