package io.lifeboat.evacuation.forecast;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The failover planner alone: placement's capacity check (ratios, reserved memory, max_unit), the scheduler's spread
 * by free RAM, the reserved hosts tried first, and what is left unplaced. Each expectation is worked out by hand in the
 * comment beside it.
 */
class FailoverPlannerTest {

    private static final FailoverPlanner.Ratios NOVA_DEFAULTS = new FailoverPlanner.Ratios(4.0, 1.0, 512);

    private static FailoverPlanner.Compute up(String host, int vcpus, int vcpusUsed, long memoryMb, long usedMb) {
        return new FailoverPlanner.Compute(host, true, true, vcpus, vcpusUsed, memoryMb, usedMb);
    }

    private static FailoverPlanner.Instance vm(String name, int vcpus, int ramMb) {
        return new FailoverPlanner.Instance("id-" + name, name, vcpus, ramMb);
    }

    private static Map<String, String> targets(List<FailoverPlanner.Placement> placements) {
        return placements.stream().collect(Collectors.toMap(FailoverPlanner.Placement::name,
                p -> p.target() == null ? "-" : p.target()));
    }

    @Test
    void eachInstanceGoesToTheComputeWithTheMostFreeRamAndConsumesIt() {
        // b has 8 GiB more free than a: the first 8 GiB goes to b; then both have the same free RAM and a wins on
        // free vCPU (256 against 254); the 4 GiB one then goes to b (a is 8 GiB lower now).
        List<FailoverPlanner.Compute> computes = List.of(up("a", 64, 0, 65_536, 16_896), up("b", 64, 0, 65_536, 8_704),
                up("failed", 64, 0, 65_536, 512));
        var p = FailoverPlanner.plan("failed", List.of(vm("one", 2, 8_192), vm("two", 2, 8_192), vm("three", 1, 4_096)),
                computes, List.of(), 3, NOVA_DEFAULTS);
        assertThat(targets(p)).containsExactlyInAnyOrderEntriesOf(Map.of("one", "b", "two", "a", "three", "b"));
    }

    @Test
    void placementsCapacityCheckUsesTheRatiosTheReservedMemoryAndMaxUnit() {
        // host: 16 pCPU, 32768 MiB of which 512 reserved; memoryMbUsed counts the reserved 512.
        // ram: (32768 - 512) * 1.0 = 32256 capacity, 512 - 512 = 0 used → a 32256 MiB instance fits, 32257 does not.
        // cpu: 16 * 4.0 = 64 capacity with 60 used → 4 fit, 5 do not; max_unit 16 → a 17-vCPU one never fits.
        List<Object[]> table = List.of(
                new Object[]{vm("exact-ram", 1, 32_256), 0, "h"},
                new Object[]{vm("one-mib-over", 1, 32_257), 0, "-"},
                new Object[]{vm("four-vcpu", 4, 1_024), 60, "h"},
                new Object[]{vm("five-vcpu", 5, 1_024), 60, "-"},
                new Object[]{vm("over-max-unit", 17, 1_024), 0, "-"});
        for (Object[] row : table) {
            FailoverPlanner.Instance i = (FailoverPlanner.Instance) row[0];
            var p = FailoverPlanner.plan("failed", List.of(i), List.of(up("h", 16, (int) row[1], 32_768, 512)),
                    List.of(), 3, NOVA_DEFAULTS);
            assertThat(targets(p).get(i.name())).as(i.name()).isEqualTo(row[2]);
        }
        // A RAM ratio of 1.5 makes room for 1.5 × 32256 = 48384 MiB: two halves of it fit, where 1.0 takes one; a
        // single instance of it never does (max_unit: the host's 32768).
        List<FailoverPlanner.Instance> halves = List.of(vm("half-1", 1, 24_192), vm("half-2", 1, 24_192));
        var p = FailoverPlanner.plan("failed", halves, List.of(up("h", 16, 0, 32_768, 512)), List.of(), 3,
                new FailoverPlanner.Ratios(4.0, 1.5, 512));
        assertThat(targets(p)).containsExactlyInAnyOrderEntriesOf(Map.of("half-1", "h", "half-2", "h"));
        p = FailoverPlanner.plan("failed", halves, List.of(up("h", 16, 0, 32_768, 512)), List.of(), 3, NOVA_DEFAULTS);
        assertThat(targets(p)).containsExactlyInAnyOrderEntriesOf(Map.of("half-1", "h", "half-2", "-"));
        p = FailoverPlanner.plan("failed", List.of(vm("whole", 1, 48_384)), List.of(up("h", 16, 0, 32_768, 512)),
                List.of(), 3, new FailoverPlanner.Ratios(4.0, 1.5, 512));
        assertThat(p.get(0).target()).isNull();
    }

    @Test
    void reservedHostsComeFirstOnePerAttemptThenTheScheduler() {
        // r1 (disabled, reserved) takes the first 8 GiB; the second no longer fits r1 (12 GiB room, 4 left) nor r2 (down),
        // so attempt 3 asks the scheduler: r1, now enabled by the recovery, has 4 GiB, x has 16 GiB → x.
        List<FailoverPlanner.Compute> computes = List.of(
                new FailoverPlanner.Compute("r1", true, false, 64, 0, 12_800, 512),
                new FailoverPlanner.Compute("r2", false, false, 64, 0, 262_144, 512),
                up("x", 64, 0, 16_896, 512));
        var p = FailoverPlanner.plan("failed", List.of(vm("first", 2, 8_192), vm("second", 2, 8_192)), computes,
                List.of("r1", "r2"), 3, NOVA_DEFAULTS);
        assertThat(targets(p)).containsExactlyInAnyOrderEntriesOf(Map.of("first", "r1", "second", "x"));
        // With two attempts only, the second never reaches the scheduler.
        p = FailoverPlanner.plan("failed", List.of(vm("first", 2, 8_192), vm("second", 2, 8_192)), computes,
                List.of("r1", "r2"), 2, NOVA_DEFAULTS);
        assertThat(targets(p).get("second")).isEqualTo("-");
        assertThat(p.get(1).reason()).contains("reserved host r1 has no room", "reserved host r2 is down");
    }

    @Test
    void anOperatorsTargetMustBeEnabledAlreadyWhereAReservedHostIsEnabledByTheRun() {
        // t is disabled: as a reserved host the run enables it and it takes the instance; as an operator's target
        // (every attempt to t, nothing enabled by the run) it is "no valid host" three times.
        List<FailoverPlanner.Compute> computes = List.of(new FailoverPlanner.Compute("t", true, false, 64, 0, 262_144,
                512), up("y", 64, 0, 262_144, 512));
        assertThat(FailoverPlanner.plan("failed", List.of(vm("one", 2, 2_048)), computes, List.of("t"), 3,
                NOVA_DEFAULTS, true).get(0).target()).isEqualTo("t");
        var p = FailoverPlanner.plan("failed", List.of(vm("one", 2, 2_048)), computes, List.of("t", "t", "t"), 3,
                NOVA_DEFAULTS, false);
        assertThat(p.get(0).target()).isNull();
        assertThat(p.get(0).reason()).contains("target host t is disabled");
    }

    @Test
    void theFailedHostIsNeverATargetEvenWhenReserved() {
        var p = FailoverPlanner.plan("r1", List.of(vm("one", 2, 2_048)), List.of(up("r1", 64, 0, 262_144, 512),
                up("y", 64, 0, 8_192, 512)), List.of("r1"), 3, NOVA_DEFAULTS);
        assertThat(p.get(0).target()).isEqualTo("y");
    }

    @Test
    void disabledAndDownComputesTakeNothingAndWhatFitsNowhereIsNamedWithTheRoomThereIs() {
        List<FailoverPlanner.Compute> computes = List.of(
                new FailoverPlanner.Compute("disabled", true, false, 64, 0, 262_144, 512),
                new FailoverPlanner.Compute("down", false, true, 64, 0, 262_144, 512),
                up("small", 64, 0, 8_704, 512));
        var p = FailoverPlanner.plan("failed", List.of(vm("fits", 2, 8_192), vm("too-big", 2, 8_192),
                new FailoverPlanner.Instance("id-x", "unknown-size", -1, -1)), computes, List.of(), 3, NOVA_DEFAULTS);
        assertThat(targets(p)).containsExactlyInAnyOrderEntriesOf(Map.of("fits", "small", "too-big", "-",
                "unknown-size", "-"));
        assertThat(p.get(1).reason()).isEqualTo("needs 2 vCPU and 8192 MiB: the scheduler: no up, enabled compute has"
                + " room (the most free: small with 254 vCPU and 0 MiB free)");
        assertThat(p.get(2).reason()).contains("flavor is unknown");
    }

    @Test
    void ovirtVmsGoToTheUpHostOfTheirClusterWithTheMostSchedulingMemoryWhileItHoldsWhatTheyNeed() {
        // A 4096 MiB, 2-vCPU VM needs 4096 + 4096/512 + 64 + 8 × 2 = 4184 MiB; a 16384 MiB, 4-vCPU one 16512.
        assertThat(FailoverPlanner.requiredMb(4_096, 2)).isEqualTo(4_184);
        assertThat(FailoverPlanner.requiredMb(16_384, 4)).isEqualTo(16_512);
        List<FailoverPlanner.EngineHost> hosts = List.of(
                new FailoverPlanner.EngineHost("h1", "hv1", "c1", true, 20_000),
                new FailoverPlanner.EngineHost("h2", "hv2", "c1", true, 16_000),
                new FailoverPlanner.EngineHost("h3", "hv3", "c1", false, 500_000),   // not Up
                new FailoverPlanner.EngineHost("h4", "hv4", "c2", true, 500_000));   // another cluster
        // big → hv1 (20000 ≥ 16512; 3488 left); small-1 → hv2 (16000 > 3488; 11816 left); small-2 → hv2 (7632 left);
        // big-2 → nowhere (7632 and 3488 < 16512).
        var p = FailoverPlanner.ovirt("failed", List.of(
                new FailoverPlanner.EngineVm("b1", "big", "c1", 16_384, 4, List.of()),
                new FailoverPlanner.EngineVm("s1", "small-1", "c1", 4_096, 2, List.of()),
                new FailoverPlanner.EngineVm("s2", "small-2", "c1", 4_096, 2, List.of()),
                new FailoverPlanner.EngineVm("b2", "big-2", "c1", 16_384, 4, List.of())), hosts);
        assertThat(targets(p)).containsExactlyInAnyOrderEntriesOf(Map.of("big", "hv1", "small-1", "hv2",
                "small-2", "hv2", "big-2", "-"));
        assertThat(p.get(3).reason()).isEqualTo("needs 16512 MiB (memory and overhead): no Up host of its cluster has"
                + " that much max_scheduling_memory (the most: hv2 with 7632 MiB)");
        // Pinned to the failed host and a host that is not Up: nowhere, whatever the room.
        p = FailoverPlanner.ovirt("failed", List.of(new FailoverPlanner.EngineVm("p", "pinned", "c1", 1_024, 1,
                List.of("failed", "h3"))), hosts);
        assertThat(p.get(0).target()).isNull();
        assertThat(p.get(0).reason()).contains("it is pinned to hosts none of which is Up");
        p = FailoverPlanner.ovirt("failed", List.of(new FailoverPlanner.EngineVm("p", "pinned", "c1", 1_024, 1,
                List.of("failed", "h2"))), hosts);
        assertThat(p.get(0).target()).isEqualTo("hv2");
    }
}
