package io.lifeboat.collector.inventory;

import io.lifeboat.common.change.SignalSource;
import io.lifeboat.common.change.VmRemoved;
import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.id.SourceId;
import io.lifeboat.common.id.SourceKind;
import io.lifeboat.common.id.VmKey;
import io.lifeboat.common.inventory.Deletion;
import io.lifeboat.common.inventory.HighAvailability;
import io.lifeboat.common.inventory.HostRef;
import io.lifeboat.common.inventory.VmState;
import io.lifeboat.common.inventory.VmStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** What a cycle publishes when one item of a complete listing could not be read. */
class InventoryDiffTest {

    private static final SourceId SRC = SourceId.of("diff");
    private static final Instant T = Instant.parse("2026-12-01T00:00:00Z");

    private static VmState vm(String id) {
        return new VmState(VmKey.of(SRC, id), SourceKind.OVIRT, "vm-" + id, null,
                new HostRef(HostKey.of(SRC, "h1"), "h1"), VmStatus.RUNNING, "up", null, List.of(), null, null,
                List.of(), HighAvailability.NONE, null, null, null, Deletion.NONE, Map.of(), List.of(), null, T);
    }

    private static Known known(VmState... vms) {
        Map<String, Known.Entry<VmState>> m = new java.util.HashMap<>();
        for (VmState v : vms) {
            m.put(v.vm().toString(), new Known.Entry<>(Fingerprints.of(v), v));
        }
        return new Known(Map.of(), m, Map.of());
    }

    @Test
    void aSkippedVmKeepsItsLastStateWhileAVmGoneFromTheListingIsRemoved() {
        Known known = known(vm("a"), vm("b"), vm("c"));
        // Listed: a; b could not be read (skipped, standing); c is no longer listed at all.
        InventoryDiff.Result r = InventoryDiff.diff(known, List.of(), false, SignalSource.INVENTORY_CYCLE,
                List.of(vm("a")), true, SignalSource.INVENTORY_CYCLE, List.of(), false, Set.of("diff/b"), false, T);
        assertThat(r.removedVms()).containsExactly("diff/c");
        assertThat(r.changes()).hasSize(1).first().isInstanceOf(VmRemoved.class);
        assertThat(r.vms()).isEmpty();   // a is unchanged
    }

    @Test
    void anIncompleteListingRemovesNothing() {
        Known known = known(vm("a"), vm("b"));
        InventoryDiff.Result r = InventoryDiff.diff(known, List.of(), false, SignalSource.INVENTORY_CYCLE,
                List.of(vm("a")), false, SignalSource.INVENTORY_CYCLE, List.of(), false, Set.of(), false, T);
        assertThat(r.removedVms()).isEmpty();
    }
}
