package io.lifeboat.watchdog.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How raw libvirt events become incidents. */
@ConfigMapping(prefix = "lifeboat.watchdog")
public interface WatchdogConfig {

    /**
     * Events of one guest failure arrive as several (watchdog + lifecycle, io-error twice, panic then stop): events of
     * the same guest within this window join one incident. Short, so that a guest that crashes again after its restart
     * makes a new incident (and, repeated, a crash loop).
     */
    @WithDefault("30s")
    Duration incidentWindow();

    /** This many crashes of one guest (panic, unexpected stop, watchdog reset or poweroff) within the window ... */
    @WithDefault("3")
    int crashLoopThreshold();

    /** ... raise a CRASH_LOOP incident of their own. */
    @WithDefault("10m")
    Duration crashLoopWindow();

    /**
     * The hypervisors each built-in agent user may post for: {@code lifeboat.watchdog.agents.<user>=cmp1-a01,cmp1-a02}
     * or {@code *}. A user not listed may post for none (AgentScope).
     */
    java.util.Map<String, String> agents();

    /** The OIDC token claim naming the hypervisors an agent may post for (a list, or one name). */
    @WithDefault("hypervisors")
    String agentClaim();

    /** Most lines or events accepted in one HTTP batch. */
    @WithDefault("10000")
    int maxBatch();

    /** Direct connections to the hypervisors' libvirtd. */
    Libvirt libvirt();

    interface Libvirt {
        /** Off by default: most sites send events through an agent or the HTTP pipe. */
        @WithDefault("false")
        boolean enabled();

        /** The URI of a hypervisor, {@code {host}} replaced by its name, e.g. {@code qemu+tls://{host}/system}. */
        @WithDefault("qemu+tls://{host}/system")
        String uriTemplate();

        /** Connect to every hypervisor the inventory shows VMs on. */
        @WithDefault("true")
        boolean fromInventory();

        /** More hypervisors, as {@code name} (URI from the template) or {@code name=uri}. */
        java.util.Optional<java.util.List<String>> hypervisors();

        /** How often the wanted connections are checked and lost ones retried. */
        @WithDefault("10s")
        Duration reconcileInterval();

        /** The longest wait between reconnection attempts (the wait doubles from 5 s). */
        @WithDefault("5m")
        Duration maxBackoff();
    }
}
