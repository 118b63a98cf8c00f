package io.lifeboat.evacuation.fencing;

import io.lifeboat.cloud.CloudCallException;
import io.lifeboat.evacuation.platform.ovirt.OvirtApi;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine fencer against an engine that answers as ovirt-engine does (a recorded engine, not the product's rule):
 * which fence calls it sends, and what it reports, for each host status, power management, fencing policy and event
 * history that matters.
 */
class OvirtEngineFencerTest {

    private static final Instant SINCE = Instant.parse("2026-12-03T10:00:00Z");

    /** An engine: one host, its events, its cluster's policy; records every fence call it receives. */
    static final class Engine implements OvirtApi {
        String status = "non_responsive";
        boolean pm = true;
        boolean policy = true;
        final List<Event> events = new ArrayList<>();
        final List<String> fenceCalls = new ArrayList<>();
        String power = "on";

        @Override
        public Optional<Vm> vm(String id) {
            return Optional.empty();
        }

        @Override
        public List<Vm> vmsOn(String hostId) {
            return List.of();
        }

        @Override
        public List<Host> hosts() {
            return List.of(host("h1").orElseThrow());
        }

        @Override
        public List<Vm> vms() {
            return List.of();
        }

        @Override
        public Optional<Host> host(String id) {
            return Optional.of(new Host("h1", "hv1", status, "c1", pm));
        }

        @Override
        public void start(String vmId, String hostId) {
        }

        @Override
        public void migrate(String vmId, String hostId) {
        }

        @Override
        public void fenceStop(String hostId) {
            fenceCalls.add("stop");
            if (!"maintenance".equals(status)) {
                throw new CloudCallException("[Cannot perform Stop operation, Host has to be in Maintenance mode in"
                        + " order to be stopped.]", 409, null);
            }
            power = "off";
        }

        @Override
        public void fenceRestart(String hostId) {
            fenceCalls.add("restart");
        }

        @Override
        public List<Event> recentEvents(int max) {
            List<Event> newestFirst = new ArrayList<>(events);
            java.util.Collections.reverse(newestFirst);
            return newestFirst;
        }

        @Override
        public boolean clusterFencingEnabled(String clusterId) {
            return policy;
        }

        @Override
        public String powerStatus(String hostId) {
            fenceCalls.add("status");
            return power;
        }

        @Override
        public void fenceManual(String hostId) {
            fenceCalls.add("manual");
        }

        void event(int code, String hostId, Instant at, String text) {
            events.add(new Event(events.size() + 1, code, hostId, null, at, text));
        }
    }

    private static Fencer.FenceOutcome fence(Engine engine) {
        return new OvirtEngineFencer(engine, Duration.ofSeconds(5), Duration.ofMillis(1500))
                .fence(new Fencer.Target("ovirt-1", "h1", "hv1", SINCE));
    }

    @Test
    void theEnginesOwnRestartIsTheFenceAndNothingIsSent() {
        Engine e = new Engine();
        e.status = "reboot";
        e.event(121, "h1", SINCE.plusSeconds(70), "Host hv1 was restarted by the engine.");
        Fencer.FenceOutcome o = fence(e);
        assertThat(o.result()).isEqualTo(Fencer.FenceOutcome.Result.FENCED);
        assertThat(o.detail()).startsWith("fenced by the engine itself: event 121");
        assertThat(e.fenceCalls).isEmpty();
    }

    @Test
    void aRestartOfAnotherHostOrFromAnEarlierFailureIsNotThisFence() {
        Engine e = new Engine();
        e.status = "up";
        e.event(121, "h2", SINCE.plusSeconds(70), "Host hv2 was restarted by the engine.");
        e.event(121, "h1", SINCE.minusSeconds(3600), "Host hv1 was restarted by the engine.");
        Fencer.FenceOutcome o = fence(e);
        assertThat(o.result()).isEqualTo(Fencer.FenceOutcome.Result.FAILED);
        assertThat(o.detail()).contains("is up on the engine, which does not fence it in that status");
        assertThat(e.fenceCalls).isEmpty();
    }

    @Test
    void stopIsSentOnlyToAHostInMaintenance() {
        Engine e = new Engine();
        e.status = "maintenance";
        Fencer.FenceOutcome o = fence(e);
        assertThat(o.result()).isEqualTo(Fencer.FenceOutcome.Result.FENCED);
        assertThat(e.fenceCalls).containsExactly("stop", "status");
    }

    @Test
    void withoutPowerManagementOrWithFencingOffByPolicyTheChainMovesOnAndNothingIsSent() {
        Engine noPm = new Engine();
        noPm.pm = false;
        assertThat(fence(noPm).result()).isEqualTo(Fencer.FenceOutcome.Result.UNAVAILABLE);
        Engine off = new Engine();
        off.policy = false;
        Fencer.FenceOutcome o = fence(off);
        assertThat(o.result()).isEqualTo(Fencer.FenceOutcome.Result.UNAVAILABLE);
        assertThat(o.detail()).contains("fencing policy disables fencing");
        assertThat(noPm.fenceCalls).isEmpty();
        assertThat(off.fenceCalls).isEmpty();
    }

    @Test
    void whenTheEnginesOwnFencingFailedARestartIsAskedOnce() {
        Engine e = new Engine();
        e.event(122, "h1", SINCE.plusSeconds(70), "A restart initiated by the engine to Host hv1 has failed.");
        Fencer.FenceOutcome o = fence(e);
        assertThat(o.result()).isEqualTo(Fencer.FenceOutcome.Result.FENCED);
        assertThat(o.detail()).contains("event 122", "restart succeeded");
        assertThat(e.fenceCalls).containsExactly("restart");
    }

    @Test
    void anEngineThatDoesNotFenceInTimeIsAFailureAndNothingIsSent() {
        Engine e = new Engine();
        e.status = "connecting";
        Fencer.FenceOutcome o = fence(e);
        assertThat(o.result()).isEqualTo(Fencer.FenceOutcome.Result.FAILED);
        assertThat(o.detail()).contains("did not fence host hv1 within 1 s");
        assertThat(e.fenceCalls).isEmpty();
    }
}
