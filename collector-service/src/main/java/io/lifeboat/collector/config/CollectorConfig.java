package io.lifeboat.collector.config;

import io.lifeboat.cloud.SourceConnection;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The collector's sources: any number of oVirt engines and OpenStack regions, keyed by source id, e.g.
 * <pre>
 * lifeboat.collector.sources.ovirt-dc1.kind=ovirt
 * lifeboat.collector.sources.ovirt-dc1.url=https://engine.dc1.example/ovirt-engine/api
 * lifeboat.collector.sources.ovirt-dc1.username=lifeboat@internal
 * lifeboat.collector.sources.ovirt-dc1.password-file=/var/run/secrets/lifeboat/ovirt-dc1
 * </pre>
 * Credentials come from the environment (e.g. {@code password=${OVIRT_DC1_PASSWORD}}) or a secret file, and never
 * appear in logs, metrics or API output.
 */
@ConfigMapping(prefix = "lifeboat.collector")
public interface CollectorConfig {

    /** The sources, by id (lower case letters, digits, '.', '_' or '-'). */
    Map<String, Source> sources();

    /** How often the scheduler looks for due cycles and polls. */
    @WithDefault("1s")
    Duration tick();

    /** Every this long, a cycle republishes every state even if unchanged, keeping compacted topics fresh. */
    @WithDefault("6h")
    Duration fullRepublishInterval();

    /** A source whose cycle has run longer than this is reported DEGRADED, whatever its last cycle said. */
    @WithDefault("10m")
    Duration cycleStallAfter();

    enum Kind { OVIRT, OPENSTACK }

    /** Which oVirt VMs have their virtual NUMA nodes read (one call per VM, again only after it starts again). */
    enum NumaNodes {
        /** VMs pinned to hosts: the engine lets only those define virtual NUMA nodes. */
        PINNED,
        /** Every VM (one call per VM at the first cycle). */
        ALL,
        /** None: no NUMA layout is reported for oVirt VMs. */
        NONE
    }

    /** A source: how to reach it ({@link SourceConnection}, shared with the evacuation-service) and how to collect it. */
    interface Source extends SourceConnection {
        /** ovirt or openstack. */
        Kind kind();

        /** Off: configured but not collected. */
        @WithDefault("true")
        boolean enabled();

        /** OpenStack: Nova's reclaim_instance_interval, to tell until when a soft-deleted server is restorable. */
        Optional<Duration> reclaimInterval();

        /** How often a full inventory cycle runs. */
        @WithDefault("5m")
        Duration cycleInterval();

        /** How often the fast signals are polled (oVirt events feed; Nova os-services and changes-since). */
        @WithDefault("10s")
        Duration signalInterval();

        /** Items per page when listing VMs, servers and volumes. */
        @WithDefault("500")
        int pageSize();

        /** Timeout of one API call. */
        @WithDefault("60s")
        Duration callTimeout();

        /** Retries of a failed API call, with exponential backoff. */
        @WithDefault("3")
        int retries();

        /**
         * oVirt: whose virtual NUMA nodes are read ({@code pinned}, {@code all} or {@code none}). The engine cannot
         * inline them in the VM listing, so each costs a call, made again only when the VM started again.
         */
        @WithDefault("pinned")
        NumaNodes numaNodes();
    }
}
