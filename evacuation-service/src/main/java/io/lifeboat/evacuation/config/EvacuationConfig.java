package io.lifeboat.evacuation.config;

import io.lifeboat.cloud.SourceConnection;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How the evacuation-service detects, fences and recovers failed hosts, per source, e.g.
 * <pre>
 * lifeboat.evacuation.sources.openstack-1.kind=openstack
 * lifeboat.evacuation.sources.openstack-1.url=https://keystone.dc1.example:5000/v3
 * lifeboat.evacuation.sources.openstack-1.username=lifeboat
 * lifeboat.evacuation.sources.openstack-1.password-file=/var/run/secrets/lifeboat/openstack-1
 * lifeboat.evacuation.sources.openstack-1.fencer=redfish
 * lifeboat.evacuation.sources.openstack-1.redfish.system-url=https://bmc-{host}.dc1.example/redfish/v1/Systems/1
 * lifeboat.evacuation.sources.openstack-1.reserved-hosts=cmp1-a05,cmp1-b05
 * </pre>
 * A source that is not configured here is never recovered: its failures are still tracked, and wait for an operator.
 */
@ConfigMapping(prefix = "lifeboat.evacuation")
public interface EvacuationConfig {

    /** The sources this service may act on, by id (the same ids as the collector's). */
    Map<String, Source> sources();

    /** How often the failure lifecycle and the recovery runs are advanced. */
    @WithDefault("1s")
    Duration tick();

    /** How often the outbox is relayed to Kafka (Quarkus' scheduler: 1 s at the least). */
    @WithDefault("1s")
    Duration outboxInterval();

    /** A replica's claim on a run lasts this long without renewal; another replica takes over after it. */
    @WithDefault("30s")
    Duration runLease();

    /**
     * Runs this replica executes at once (one thread each, named {@code lifeboat-recovery-run}); a run beyond them
     * waits for the next tick, unclaimed, so another replica may take it.
     */
    @WithDefault("32")
    int maxConcurrentRuns();

    /** This replica's name in run leases and the audit trail; the host name when unset. */
    Optional<String> instanceName();

    enum Kind { OVIRT, OPENSTACK }

    /** How a host's power-off is confirmed before anything is recovered. */
    enum FencerKind {
        /**
         * oVirt: the engine's own fencing of a non-responsive host, recognised from its events; {@code stop} only in
         * Maintenance; {@code restart} when the engine's own fencing failed.
         */
        OVIRT,
        /** A Redfish BMC: {@code ComputerSystem.Reset} with {@code ForceOff}, then {@code PowerState} Off. */
        REDFISH,
        /** No fencer: every confirmed failure waits for an operator's confirmation. */
        NONE
    }

    /** What happens when a fenced OpenStack host is back (Pacemaker's unfence). */
    enum Unfence {
        /** Never by Lifeboat: the operator unsets forced_down and enables the service in Nova. */
        OFF,
        /** An operator's {@code POST /api/v1/episodes/{id}/unfence}, refused while the evidence says the host is not back. */
        APPROVAL,
        /** As soon as the evidence says the host is back (probes clear) and its recovery has ended. */
        AUTO
    }

    /** Which instances an OpenStack recovery evacuates. */
    enum EvacuablePolicy {
        /** Only marked ones when anything in the source (a server, a flavor, an image) is marked; else all. */
        AUTO,
        ALL,
        TAGGED
    }

    /** A source: how to reach it ({@link SourceConnection}, shared with the collector) and how to recover on it. */
    interface Source extends SourceConnection {
        Kind kind();

        /** Off: failures are tracked but nothing is fenced or recovered. */
        @WithDefault("true")
        boolean enabled();

        /** Timeout of one API call. */
        @WithDefault("30s")
        Duration callTimeout();

        /** Retries of a failed API call, with exponential backoff. */
        @WithDefault("3")
        int retries();

        /**
         * How long the evidence that a host is down (the platform's report, or two independent probes agreeing) must
         * persist before the failure is confirmed.
         */
        @WithDefault("10s")
        Duration gracePeriod();

        /** Lifeboat's own probes of the hosts, besides the platform's view. */
        Detection detection();

        /** OpenStack: the failover plan of every host (where its instances would go if it failed now). */
        Failover failover();

        /** More than this share of the source's hosts suspected at once is a partition: nothing is recovered. */
        @WithDefault("0.5")
        double partitionThreshold();

        /**
         * A host whose failures open this many episodes within {@code quarantine-window} is quarantined at the last
         * one: fenced and left off, an alert raised, and its recovery left to an operator (a flapping host is not
         * recovered again and again). 0: never.
         */
        @WithDefault("3")
        int quarantineAfter();

        @WithDefault("1h")
        Duration quarantineWindow();

        /**
         * How long a failure waits for a complete view of its source (the collector's host list, every host of it
         * seen) before an operator is asked: no partition verdict, and nothing recovered, is made on part of a source.
         */
        @WithDefault("5m")
        Duration completeViewTimeout();

        /** How power-off is confirmed; default: the engine for oVirt, none for OpenStack. */
        Optional<FencerKind> fencer();

        /**
         * An escalation chain, e.g. {@code redfish,ovirt}: tried in order, each with its own timeout, until one
         * confirms the power-off; every attempt is audited; when none can, an operator must confirm it. Takes the
         * place of {@code fencer} when set.
         */
        Optional<List<FencerKind>> fencers();

        /** The Redfish fencer. */
        Redfish redfish();

        /**
         * OpenStack: unfence a host that is back (its BMC On, its management port open, its heartbeat fresh) once its
         * recovery has ended: unset {@code forced_down} and enable the service, by an operator's approval or at once.
         */
        @WithDefault("approval")
        Unfence unfence();

        /** After fencing, wait for an operator's approval before recovering. */
        @WithDefault("false")
        boolean approvalRequired();

        /** OpenStack: which instances to evacuate (the rule in {@code recovery.EvacuableRule}). */
        @WithDefault("auto")
        EvacuablePolicy evacuable();

        /** OpenStack: the server metadata key that marks an instance for HA, as Masakari's {@code HA_Enabled=True}. */
        @WithDefault("HA_Enabled")
        String evacuableMetadataKey();

        /** Cloud calls in flight at once for a run: evacuate (or oVirt start) calls and the checks that follow them. */
        @WithDefault("4")
        int concurrency();

        /** Instances rebuilding (or starting) at once; 0: no limit beyond {@code concurrency} of the calls. */
        @WithDefault("0")
        int maxInFlight();

        /** OpenStack: hosts to evacuate to, tried in order; empty: the scheduler chooses. Enabled when first used. */
        Optional<List<String>> reservedHosts();

        /** Attempts per instance (the first one included), each on another host where one is named. */
        @WithDefault("3")
        int maxAttempts();

        /**
         * Tries of a move that did not take effect (the call unanswered and never received, the VM still down after
         * a start call, or a failure before the call), each after a backoff from {@code poll-interval} doubling to
         * 30 s; then the move ends FAILED with the reason. Not counted in {@code max-attempts}.
         */
        @WithDefault("5")
        int maxCallRetries();

        /** Consecutive failures of one step of a run (force-down, listing the instances…) before the run ends FAILED. */
        @WithDefault("5")
        int stepAttempts();

        /**
         * How long a run may take from its start; then it ends FAILED, its open moves FAILED as unaccounted for (a
         * call in flight is named so), and the episode PARTIALLY_RECOVERED for an operator to check.
         */
        @WithDefault("30m")
        Duration runDeadline();

        /** How long one instance may take to become ACTIVE (or started) on its new host. */
        @WithDefault("10m")
        Duration instanceTimeout();

        /** How often an instance in flight is polled. */
        @WithDefault("2s")
        Duration pollInterval();

        /**
         * oVirt: how long the engine fencer waits for the engine to fence a non-responsive host itself (its
         * Connecting grace is 60 s, more for the SPM and per VM, then a power management restart) before it fails.
         */
        @WithDefault("2m")
        Duration engineFenceWait();

        /** oVirt: how long HA VMs are left to the engine's own restart before Lifeboat starts them. */
        @WithDefault("60s")
        Duration engineHaWait();

        /** oVirt: migrate VMs paused by a storage error on a host that is still up. */
        @WithDefault("false")
        boolean migratePausedOnStorageError();
    }
}
