package io.lifeboat.mapping.plan;

import io.lifeboat.common.lun.LunWwid;
import io.lifeboat.common.plan.KeepReason;
import io.lifeboat.common.plan.UnmapDecision;
import io.lifeboat.mapping.plan.UnmapRules.Decision;
import io.lifeboat.mapping.plan.UnmapRules.Facts;
import io.lifeboat.mapping.plan.UnmapRules.OwnVm;
import io.lifeboat.mapping.plan.UnmapRules.User;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every rule of {@link UnmapRules#decide}, alone and in the combinations that matter, as a table: the facts of one
 * LUN of failed host {@code src/h1}'s plan (its VM {@code src/vm1}) and the decision an operator must get.
 */
class UnmapRulesTest {

    static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
    static final String HOST = "src/h1";
    static final String VM = "src/vm1";
    static final LunWwid WWID = LunWwid.parse("3600507680c8081b2e800000000000a5f");
    static final OwnVm ALIVE = new OwnVm("NONE", null);

    record Case(String name, LunWwid wwid, String domain, List<User> users, OwnVm own, UnmapDecision decision,
                KeepReason reason, String detailContains) {
    }

    static User user(String vm, String host, String status) {
        return new User(vm, vm.substring(vm.indexOf('/') + 1), host, host == null ? null : host + "-name", status);
    }

    static List<Case> table() {
        List<Case> t = new ArrayList<>();
        // One rule at a time.
        t.add(new Case("unknown WWID", null, null, List.of(), ALIVE, UnmapDecision.KEEP, KeepReason.UNKNOWN_WWID,
                "not a LUN WWID"));
        t.add(new Case("backs a block storage domain", WWID, "data-fc-1", List.of(), ALIVE, UnmapDecision.KEEP,
                KeepReason.BACKS_STORAGE_DOMAIN, "data-fc-1"));
        for (String holding : List.of("RUNNING", "PAUSED", "SUSPENDED", "MIGRATING", "STARTING", "STOPPING",
                "REBUILDING", "NOT_RESPONDING", "UNKNOWN")) {
            t.add(new Case("still on the host, " + holding, WWID, null, List.of(user(VM, HOST, holding)), ALIVE,
                    UnmapDecision.KEEP, KeepReason.IN_USE_ON_HOST, "still on this host (" + holding));
        }
        t.add(new Case("unknown on an unfenced host says so", WWID, null, List.of(user(VM, HOST, "UNKNOWN")), ALIVE,
                UnmapDecision.KEEP, KeepReason.IN_USE_ON_HOST, "not fenced yet"));
        for (String released : List.of("DOWN", "ERROR", "SHELVED", "SOFT_DELETED")) {
            t.add(new Case("still listed on the host but " + released, WWID, null,
                    List.of(user(VM, HOST, released)), ALIVE, UnmapDecision.UNMAP, null, null));
        }
        t.add(new Case("another VM on the same host holds it", WWID, null,
                List.of(user("src/vm2", HOST, "RUNNING")), ALIVE, UnmapDecision.KEEP, KeepReason.IN_USE_ON_HOST,
                "VM vm2"));
        t.add(new Case("shared with a VM on another host", WWID, null, List.of(user("src/vm2", "src/h2", "RUNNING")),
                ALIVE, UnmapDecision.KEEP, KeepReason.SHARED_WITH_OTHER_HOST, "VM vm2 on host src/h2-name"));
        t.add(new Case("shared with a VM elsewhere that is down counts too (it keeps its mapping)", WWID, null,
                List.of(user("src/vm2", "src/h2", "DOWN")), ALIVE, UnmapDecision.KEEP,
                KeepReason.SHARED_WITH_OTHER_HOST, "vm2"));
        t.add(new Case("soft-deleted, restorable until later", WWID, null, List.of(),
                new OwnVm("SOFT_DELETED", NOW.plusSeconds(3600)), UnmapDecision.KEEP,
                KeepReason.VM_SOFT_DELETED_RESTORABLE, "until " + NOW.plusSeconds(3600)));
        t.add(new Case("soft-deleted without a reclaim time", WWID, null, List.of(), new OwnVm("SOFT_DELETED", null),
                UnmapDecision.KEEP, KeepReason.VM_SOFT_DELETED_RESTORABLE, "restorable"));
        t.add(new Case("soft-deleted, reclaim time passed", WWID, null, List.of(),
                new OwnVm("SOFT_DELETED", NOW.minusSeconds(1)), UnmapDecision.UNMAP, null, null));
        t.add(new Case("soft-deleted, reclaimed exactly now", WWID, null, List.of(), new OwnVm("SOFT_DELETED", NOW),
                UnmapDecision.UNMAP, null, null));
        // The VM's own situations that release the LUN.
        t.add(new Case("VM already moved away (evacuated) with its disk", WWID, null,
                List.of(user(VM, "src/h2", "RUNNING")), ALIVE, UnmapDecision.UNMAP, null, null));
        t.add(new Case("VM down with no host", WWID, null, List.of(user(VM, null, "DOWN")), ALIVE,
                UnmapDecision.UNMAP, null, null));
        t.add(new Case("VM gone from the inventory", WWID, null, List.of(), OwnVm.GONE, UnmapDecision.UNMAP, null,
                null));
        t.add(new Case("disk detached since (nobody uses it)", WWID, null, List.of(), ALIVE, UnmapDecision.UNMAP,
                null, null));
        t.add(new Case("another VM with no host (down, oVirt) does not pin it", WWID, null,
                List.of(user("src/vm2", null, "DOWN")), ALIVE, UnmapDecision.UNMAP, null, null));
        // Combinations: the first rule that applies decides, so the operator reads the strongest reason.
        t.add(new Case("unknown WWID wins over everything", null, "data-fc-1",
                List.of(user(VM, HOST, "RUNNING")), new OwnVm("SOFT_DELETED", null), UnmapDecision.KEEP,
                KeepReason.UNKNOWN_WWID, null));
        t.add(new Case("storage domain wins over a holder on the host", WWID, "data-fc-1",
                List.of(user(VM, HOST, "RUNNING")), ALIVE, UnmapDecision.KEEP, KeepReason.BACKS_STORAGE_DOMAIN,
                null));
        t.add(new Case("held on the host wins over shared elsewhere", WWID, null,
                List.of(user("src/vm2", "src/h2", "RUNNING"), user(VM, HOST, "PAUSED")), ALIVE, UnmapDecision.KEEP,
                KeepReason.IN_USE_ON_HOST, "PAUSED"));
        t.add(new Case("shared elsewhere wins over soft-deleted", WWID, null,
                List.of(user("src/vm2", "src/h2", "RUNNING")), new OwnVm("SOFT_DELETED", null), UnmapDecision.KEEP,
                KeepReason.SHARED_WITH_OTHER_HOST, null));
        t.add(new Case("moved away but shared with a third VM elsewhere", WWID, null,
                List.of(user(VM, "src/h2", "RUNNING"), user("src/vm3", "src/h3", "RUNNING")), ALIVE,
                UnmapDecision.KEEP, KeepReason.SHARED_WITH_OTHER_HOST, "vm3"));
        t.add(new Case("moved away, and soft-deleted there, restorable", WWID, null,
                List.of(user(VM, "src/h2", "SOFT_DELETED")), new OwnVm("SOFT_DELETED", NOW.plusSeconds(60)),
                UnmapDecision.KEEP, KeepReason.VM_SOFT_DELETED_RESTORABLE, null));
        t.add(new Case("down on the host, no other user, not deleted", WWID, null, List.of(user(VM, HOST, "DOWN")),
                ALIVE, UnmapDecision.UNMAP, null, null));
        return t;
    }

    @TestFactory
    Stream<DynamicTest> everyRuleAndCombination() {
        return table().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            Decision d = UnmapRules.decide("lun-1", new Facts(HOST, VM, c.wwid(), c.domain(), c.users(), c.own()),
                    NOW);
            assertThat(d.decision()).as(c.name()).isEqualTo(c.decision());
            assertThat(d.reason()).as(c.name()).isEqualTo(c.reason());
            if (c.decision() == UnmapDecision.UNMAP) {
                assertThat(d.detail()).as(c.name()).isNull();
            } else {
                assertThat(d.detail()).as(c.name()).isNotBlank();
            }
            if (c.detailContains() != null) {
                assertThat(d.detail()).as(c.name()).contains(c.detailContains());
            }
        }));
    }

    @Test
    void everyKeepReasonIsReachable() {
        assertThat(table().stream().map(Case::reason).filter(java.util.Objects::nonNull).distinct())
                .containsExactlyInAnyOrder(KeepReason.values());
    }
}
