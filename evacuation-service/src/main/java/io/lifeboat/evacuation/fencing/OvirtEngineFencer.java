package io.lifeboat.evacuation.fencing;

import io.lifeboat.cloud.CloudCallException;
import io.lifeboat.cloud.CloudCalls;
import io.lifeboat.evacuation.platform.ovirt.OvirtApi;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Fences through the oVirt engine, as the engine really behaves (ovirt-engine VdsNotRespondingTreatmentCommand,
 * RestartVdsCommand, StopVdsCommand; wire-formats.md D.4):
 * <ol>
 * <li>a non-responsive host with power management is fenced <b>by the engine itself</b> (a power management restart
 *     through a proxy host, its HA VMs restarted by the engine) unless the cluster's fencing policy disables it:
 *     that fence is recognised from the engine's events ({@code 121} "Host … was restarted by the engine.") and
 *     counted as the fence, waiting up to {@code engine-fence-wait} for it; nothing is sent;</li>
 * <li>{@code stop} only for a host in Maintenance (the engine refuses it otherwise with 409);</li>
 * <li>when the engine's own fencing was tried and failed or was skipped (events 122, 9019, 9002, 9003, 9013, 9014),
 *     {@code restart}, which the engine allows in any status for a host with power management;</li>
 * <li>unavailable (so the chain moves on, e.g. to Redfish, or to an operator) when the host has no power management
 *     or the cluster's policy disables fencing.</li>
 * </ol>
 */
public final class OvirtEngineFencer implements Fencer {

    static final int SYSTEM_VDS_RESTART = 121;
    /** The engine's own fencing failed or was skipped: 122 restart failed, 9019 fence operation failed, 9002 fence
     * alert, 9003 skipped at engine start-up, 9013 skipped (connectivity broken), 9014 skipped by policy. */
    static final Set<Integer> ENGINE_FENCE_FAILED = Set.of(122, 9019, 9002, 9003, 9013, 9014);
    /** Statuses in which the engine fences a host itself (VDS.shouldVdsBeFenced, reached through Connecting). */
    private static final Set<String> ENGINE_FENCES = Set.of("connecting", "non_responsive", "reboot");
    /** How many of the newest events are read for the host's fencing events. */
    static final int EVENTS = 500;

    private final OvirtApi engine;
    private final Duration timeout;
    private final Duration engineWait;

    public OvirtEngineFencer(OvirtApi engine, Duration timeout) {
        this(engine, timeout, Duration.ofMinutes(2));
    }

    public OvirtEngineFencer(OvirtApi engine, Duration timeout, Duration engineWait) {
        this.engine = engine;
        this.timeout = timeout;
        this.engineWait = engineWait;
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
            Optional<OvirtApi.Event> restarted = event(engine.recentEvents(EVENTS), h, host.since(),
                    Set.of(SYSTEM_VDS_RESTART));
            if (restarted.isPresent()) {
                return engineFenced(restarted.get());
            }
            if (!h.powerManagement()) {
                return FenceOutcome.unavailable("power management is not configured for host " + h.name()
                        + " on the engine");
            }
            if ("maintenance".equals(h.status())) {
                return stop(h);
            }
            if (!engine.clusterFencingEnabled(h.clusterId())) {
                return FenceOutcome.unavailable("the cluster's fencing policy disables fencing: the engine fences"
                        + " nothing (alert 9015) and Lifeboat does not override it through the engine");
            }
            return awaitEngine(h, host.since());
        } catch (CloudCallException e) {
            return FenceOutcome.failed(e.getMessage());
        }
    }

    /** The engine fences a non-responsive host itself: wait for its restart, or its failure, then act. */
    private FenceOutcome awaitEngine(OvirtApi.Host h, Instant since) {
        long deadline = System.nanoTime() + engineWait.toNanos();
        while (true) {
            List<OvirtApi.Event> events = engine.recentEvents(EVENTS);   // one read per poll, for both questions
            Optional<OvirtApi.Event> restarted = event(events, h, since, Set.of(SYSTEM_VDS_RESTART));
            if (restarted.isPresent()) {
                return engineFenced(restarted.get());
            }
            Optional<OvirtApi.Event> failed = event(events, h, since, ENGINE_FENCE_FAILED);
            if (failed.isPresent()) {
                return restart(h, "the engine's own fencing did not succeed (event " + failed.get().code() + ": "
                        + failed.get().description() + ")");
            }
            OvirtApi.Host now = engine.host(h.id()).orElse(h);
            if (!ENGINE_FENCES.contains(now.status())) {
                return FenceOutcome.failed("host " + h.name() + " is " + now.status() + " on the engine, which does"
                        + " not fence it in that status; nothing was sent");
            }
            if (System.nanoTime() > deadline) {
                return FenceOutcome.failed("the engine did not fence host " + h.name() + " within "
                        + engineWait.toSeconds() + " s (status " + now.status() + "); nothing was sent");
            }
            CloudCalls.sleep(1000);
        }
    }

    private static FenceOutcome engineFenced(OvirtApi.Event e) {
        return FenceOutcome.fenced("fenced by the engine itself: event " + e.code() + " at " + e.time() + " \""
                + e.description() + "\" (its power management stopped the host and released its VMs; it restarts"
                + " the HA VMs); nothing was sent");
    }

    /** StopVdsCommand: only in Maintenance; then the power status until off. */
    private FenceOutcome stop(OvirtApi.Host h) {
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
        return FenceOutcome.fenced("engine power management: stop (the host was in Maintenance), status off");
    }

    /** RestartVdsCommand: its success means the stop succeeded and the engine released the host's VMs. */
    private FenceOutcome restart(OvirtApi.Host h, String why) {
        try {
            engine.fenceRestart(h.id());
        } catch (CloudCallException e) {
            return FenceOutcome.failed(why + "; restart through the engine failed: " + e.getMessage());
        }
        return FenceOutcome.fenced(why + "; engine power management restart succeeded: the host was stopped and its"
                + " VMs released (it boots again)");
    }

    /** The newest of the events (newest first) about the host with one of the codes, at or after {@code since}. */
    private static Optional<OvirtApi.Event> event(List<OvirtApi.Event> events, OvirtApi.Host h, Instant since,
                                                  Set<Integer> codes) {
        return events.stream().filter(e -> h.id().equals(e.hostId()) && codes.contains(e.code()))
                .filter(e -> since == null || e.time() == null || !e.time().isBefore(since.minusSeconds(1)))
                .findFirst();
    }
}
