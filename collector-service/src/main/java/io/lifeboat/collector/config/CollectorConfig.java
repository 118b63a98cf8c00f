package io.lifeboat.collector.config;

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

    interface Source {
        /** ovirt or openstack. */
        Kind kind();

        /** Off: configured but not collected. */
        @WithDefault("true")
        boolean enabled();

        /** oVirt: the API URL ({@code https://engine/ovirt-engine/api}); OpenStack: the Keystone v3 URL. */
        String url();

        /** oVirt: user@domain; OpenStack: the user name. */
        String username();

        /** The password; prefer {@code password-file} or an environment variable reference. */
        Optional<String> password();

        /** A file holding the password (e.g. a mounted Kubernetes secret); trailing newlines are ignored. */
        Optional<Path> passwordFile();

        /** OpenStack: the user's domain. */
        @WithDefault("Default")
        String userDomain();

        /** OpenStack: the project to scope to (admin rights are needed for all_tenants and os-services). */
        @WithDefault("admin")
        String project();

        /** OpenStack: the project's domain. */
        @WithDefault("Default")
        String projectDomain();

        /** OpenStack: the catalog interface to use: public, internal or admin. */
        @WithDefault("public")
        String endpointInterface();

        /**
         * OpenStack: the compute microversion for reads. 2.53 has tags (2.26), host_status (2.16), the embedded flavor
         * with extra specs (2.47, so no per-flavor calls) and UUID service ids.
         */
        @WithDefault("2.53")
        String computeMicroversion();

        /** OpenStack: Nova's reclaim_instance_interval, to tell until when a soft-deleted server is restorable. */
        Optional<Duration> reclaimInterval();

        /** A trust store (PKCS12 or JKS) for the source's TLS certificate; the JVM default otherwise. */
        Optional<Path> trustStore();

        /** The trust store's password. */
        Optional<String> trustStorePassword();

        /** Accept any TLS certificate. Only for labs. */
        @WithDefault("false")
        boolean insecure();

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
