package io.lifeboat.collector.source.openstack;

import io.lifeboat.common.inventory.CpuTopology;
import io.lifeboat.common.inventory.VmStatus;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * Every Nova vm_state (nova/compute/vm_states.py), the task states that move or rebuild a guest, and the flavor and
 * image CPU-topology rules of nova/virt/hardware.py, each with the value worked out by hand from Nova's rules.
 */
class NovaStatusAndTopologyTest {

    /** nova/compute/vm_states.py, all twelve. */
    private static final Set<String> VM_STATES = Set.of("active", "building", "paused", "suspended", "stopped",
            "rescued", "resized", "soft-delete", "deleted", "error", "shelved", "shelved_offloaded");

    private record StatusCase(String vmState, String taskState, Integer powerState, VmStatus expected) {
    }

    private static final StatusCase[] STATUS = {
            new StatusCase("active", null, 1, VmStatus.RUNNING),
            new StatusCase("active", null, 0, VmStatus.RUNNING),
            new StatusCase("active", null, null, VmStatus.RUNNING),
            new StatusCase("active", null, 3, VmStatus.PAUSED),          // I/O error or watchdog pause
            new StatusCase("active", null, 4, VmStatus.DOWN),
            new StatusCase("active", null, 6, VmStatus.DOWN),            // crashed
            new StatusCase("active", null, 7, VmStatus.SUSPENDED),
            new StatusCase("active", "powering-off", 1, VmStatus.RUNNING),
            new StatusCase("active", "rebooting_hard", 1, VmStatus.RUNNING),
            new StatusCase("active", "image_snapshot", 1, VmStatus.RUNNING),
            new StatusCase("active", "migrating", 1, VmStatus.MIGRATING),
            new StatusCase("active", "resize_prep", 1, VmStatus.MIGRATING),
            new StatusCase("active", "resize_migrating", 1, VmStatus.MIGRATING),
            new StatusCase("active", "resize_migrated", 1, VmStatus.MIGRATING),
            new StatusCase("active", "resize_finish", 1, VmStatus.MIGRATING),
            new StatusCase("active", "rebuilding", 1, VmStatus.REBUILDING),
            new StatusCase("active", "rebuild_block_device_mapping", 0, VmStatus.REBUILDING),
            new StatusCase("active", "rebuild_spawning", 0, VmStatus.REBUILDING),
            new StatusCase("building", "scheduling", 0, VmStatus.STARTING),
            new StatusCase("building", "spawning", 0, VmStatus.STARTING),
            new StatusCase("paused", null, 3, VmStatus.PAUSED),
            new StatusCase("paused", "migrating", 3, VmStatus.MIGRATING),
            new StatusCase("suspended", null, 7, VmStatus.SUSPENDED),
            new StatusCase("stopped", null, 4, VmStatus.DOWN),
            new StatusCase("stopped", "powering-on", 4, VmStatus.DOWN),
            new StatusCase("stopped", "resize_prep", 4, VmStatus.MIGRATING),   // cold migration of a stopped guest
            new StatusCase("stopped", "rebuilding", 4, VmStatus.REBUILDING),   // evacuation of a stopped guest
            new StatusCase("rescued", null, 1, VmStatus.RUNNING),
            new StatusCase("resized", null, 1, VmStatus.RUNNING),              // VERIFY_RESIZE
            new StatusCase("resized", "resize_confirming", 1, VmStatus.RUNNING),
            new StatusCase("resized", "resize_reverting", 1, VmStatus.MIGRATING),   // REVERT_RESIZE
            new StatusCase("soft-delete", null, 4, VmStatus.SOFT_DELETED),
            new StatusCase("soft-delete", "restoring", 4, VmStatus.SOFT_DELETED),
            new StatusCase("deleted", null, 0, VmStatus.DOWN),
            new StatusCase("error", null, 0, VmStatus.ERROR),
            new StatusCase("error", null, 1, VmStatus.ERROR),
            new StatusCase("error", "rebuilding", 0, VmStatus.REBUILDING),     // an evacuation retried after ERROR
            new StatusCase("error", "migrating", 1, VmStatus.ERROR),           // a leftover task: Nova shows ERROR
            new StatusCase("error", "resize_migrating", 1, VmStatus.ERROR),
            new StatusCase("stopped", "migrating", 4, VmStatus.DOWN),          // Nova's map: SHUTOFF
            new StatusCase("paused", "resize_prep", 3, VmStatus.PAUSED),
            new StatusCase("resized", "migrating", 1, VmStatus.RUNNING),
            new StatusCase("shelved", null, 4, VmStatus.SHELVED),
            new StatusCase("shelved_offloaded", null, 0, VmStatus.SHELVED),
            new StatusCase("shelved_offloaded", "unshelving", 0, VmStatus.SHELVED),
            // what a later Nova might add, and what a broken answer gives
            new StatusCase("hibernated", null, 4, VmStatus.UNKNOWN),
            new StatusCase(null, null, null, VmStatus.UNKNOWN),
            new StatusCase("", null, 1, VmStatus.UNKNOWN),
    };

    @TestFactory
    Stream<DynamicTest> everyVmStateAndTheTaskStatesThatMoveAGuest() {
        return Stream.of(STATUS).map(c -> dynamicTest(c.vmState() + "/" + c.taskState() + "/" + c.powerState() + " → "
                + c.expected(), () -> assertThat(NovaServerMapping.status(c.vmState(), c.taskState(), c.powerState()))
                .isEqualTo(c.expected())));
    }

    @Test
    void theTableCoversEveryVmState() {
        assertThat(Stream.of(STATUS).map(StatusCase::vmState).filter(s -> s != null && VM_STATES.contains(s)).distinct())
                .containsExactlyInAnyOrderElementsOf(VM_STATES);
    }

    private record TopologyCase(String name, int vcpus, Map<String, String> flavor, Map<String, String> image,
                                int sockets, int cores, int threads) {
    }

    /** Worked out by hand from nova/virt/hardware.py; each says which rule it tests. */
    private static final TopologyCase[] TOPOLOGY = {
            new TopologyCase("no preference: one-core sockets", 8, Map.of(), Map.of(), 8, 1, 1),
            new TopologyCase("flavor sockets only: the most cores for them", 8, Map.of("hw:cpu_sockets", "2"),
                    Map.of(), 2, 4, 1),
            new TopologyCase("flavor sockets and threads", 8, Map.of("hw:cpu_sockets", "2", "hw:cpu_threads", "2"),
                    Map.of(), 2, 2, 2),
            new TopologyCase("flavor cores only", 8, Map.of("hw:cpu_cores", "4"), Map.of(), 2, 4, 1),
            new TopologyCase("flavor max sockets: as many sockets as allowed", 8, Map.of("hw:cpu_max_sockets", "2"),
                    Map.of(), 2, 4, 1),
            new TopologyCase("flavor threads 2, 4 vCPUs", 4, Map.of("hw:cpu_threads", "2"), Map.of(), 2, 1, 2),
            new TopologyCase("image sockets override the flavor's whole preference", 8,
                    Map.of("hw:cpu_sockets", "4", "hw:cpu_threads", "2"), Map.of("hw_cpu_sockets", "1"), 1, 8, 1),
            new TopologyCase("image max lowers the flavor's limit and discards its preference", 8,
                    Map.of("hw:cpu_sockets", "4"), Map.of("hw_cpu_max_sockets", "2"), 2, 4, 1),
            new TopologyCase("image max above the flavor's: Nova refuses, vCPUs as sockets", 8,
                    Map.of("hw:cpu_max_sockets", "2"), Map.of("hw_cpu_max_sockets", "4"), 8, 1, 1),
            new TopologyCase("image preference above the limit: Nova refuses", 8, Map.of("hw:cpu_max_sockets", "2"),
                    Map.of("hw_cpu_sockets", "4"), 8, 1, 1),
            new TopologyCase("preference that does not divide the vCPUs: the closest match", 6,
                    Map.of("hw:cpu_sockets", "4"), Map.of(), 6, 1, 1),
            new TopologyCase("limits nothing fits: Nova refuses", 8,
                    Map.of("hw:cpu_max_sockets", "1", "hw:cpu_max_cores", "2", "hw:cpu_max_threads", "2"), Map.of(),
                    8, 1, 1),
            new TopologyCase("not a number: Nova refuses the flavor", 4, Map.of("hw:cpu_sockets", "two"), Map.of(),
                    4, 1, 1),
            new TopologyCase("blank values are unset", 4, Map.of("hw:cpu_sockets", " "), Map.of("hw_cpu_cores", ""),
                    4, 1, 1),
    };

    @TestFactory
    Stream<DynamicTest> cpuTopologyFromFlavorAndImage() {
        return Stream.of(TOPOLOGY).map(c -> dynamicTest(c.name(), () -> {
            CpuTopology t = NovaCpuTopology.of(c.vcpus(), c.flavor(), c.image());
            assertThat(t).isEqualTo(new CpuTopology(c.sockets(), c.cores(), c.threads()));
            assertThat(t.vcpus()).isEqualTo(c.vcpus());
        }));
    }

    @Test
    void numaNodesFromFlavorOrImageAndImplicitOnesForPinnedGuests() {
        assertThat(NovaCpuTopology.numaNodes(Map.of("hw:numa_nodes", "2"), Map.of())).isEqualTo(2);
        assertThat(NovaCpuTopology.numaNodes(Map.of(), Map.of("hw_numa_nodes", "4"))).isEqualTo(4);
        // both set: Nova refuses the boot; the flavor is the operator's word
        assertThat(NovaCpuTopology.numaNodes(Map.of("hw:numa_nodes", "2"), Map.of("hw_numa_nodes", "4")))
                .isEqualTo(2);
        assertThat(NovaCpuTopology.numaNodes(Map.of("hw:cpu_policy", "dedicated"), Map.of())).isEqualTo(1);
        assertThat(NovaCpuTopology.numaNodes(Map.of(), Map.of("hw_mem_page_size", "large"))).isEqualTo(1);
        assertThat(NovaCpuTopology.numaNodes(Map.of("hw:cpu_policy", "shared"), Map.of())).isNull();
        assertThat(NovaCpuTopology.numaNodes(Map.of("hw:numa_nodes", "0"), Map.of())).isNull();
        assertThat(NovaCpuTopology.numaNodes(Map.of("hw:numa_nodes", "x"), Map.of())).isNull();
        assertThat(NovaCpuTopology.numaNodes(Map.of(), Map.of())).isNull();
        assertThat(NovaCpuTopology.of(8, Map.of("hw:numa_nodes", "2", "hw:cpu_sockets", "2"), Map.of()))
                .isEqualTo(new CpuTopology(2, 4, 1, 2));
        assertThat(NovaCpuTopology.of(0, Map.of(), Map.of())).isNull();
    }
}
