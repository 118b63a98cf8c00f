package io.lifeboat.collector.source.ovirt;

import io.lifeboat.common.inventory.HostStatus;
import io.lifeboat.common.inventory.VmStatus;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One expected status for every value of the SDK's VmStatus and HostStatus enums (the engine's, wire-formats.md D.3
 * and D.4): a value added by a newer SDK fails here until someone decides what it means.
 */
class OvirtStatusMappingTest {

    private static final Map<String, VmStatus> VM = Map.ofEntries(
            entry("up", VmStatus.RUNNING),
            entry("reboot_in_progress", VmStatus.RUNNING),      // up and rebooting: still on its host
            entry("paused", VmStatus.PAUSED),
            entry("suspended", VmStatus.SUSPENDED),
            entry("down", VmStatus.DOWN),
            entry("image_locked", VmStatus.DOWN),               // disks locked by an operation; not running
            entry("powering_up", VmStatus.STARTING),
            entry("wait_for_launch", VmStatus.STARTING),
            entry("restoring_state", VmStatus.STARTING),
            entry("powering_down", VmStatus.STOPPING),
            entry("saving_state", VmStatus.STOPPING),
            entry("migrating", VmStatus.MIGRATING),
            entry("not_responding", VmStatus.NOT_RESPONDING),
            entry("unknown", VmStatus.UNKNOWN),                 // its host is lost and not fenced yet
            entry("unassigned", VmStatus.UNKNOWN));

    private static final Map<String, HostStatus> HOST = Map.ofEntries(
            entry("up", HostStatus.UP),
            entry("down", HostStatus.DOWN),
            entry("kdumping", HostStatus.DOWN),                 // crashed, writing its dump: its VMs are gone
            entry("non_responsive", HostStatus.NON_RESPONSIVE),
            entry("connecting", HostStatus.NON_RESPONSIVE),     // the engine's grace before non_responsive
            entry("non_operational", HostStatus.NON_OPERATIONAL),
            entry("error", HostStatus.NON_OPERATIONAL),
            entry("install_failed", HostStatus.NON_OPERATIONAL),
            entry("maintenance", HostStatus.MAINTENANCE),
            entry("preparing_for_maintenance", HostStatus.MAINTENANCE),
            entry("installing", HostStatus.TRANSITIONING),
            entry("installing_os", HostStatus.TRANSITIONING),
            entry("initializing", HostStatus.TRANSITIONING),
            entry("reboot", HostStatus.TRANSITIONING),
            entry("pending_approval", HostStatus.TRANSITIONING),
            entry("unassigned", HostStatus.TRANSITIONING));

    @Test
    void everyVmStatusOfTheSdkHasItsMapping() {
        assertThat(Arrays.stream(org.ovirt.engine.sdk4.types.VmStatus.values()).map(s -> s.value()))
                .containsExactlyInAnyOrderElementsOf(VM.keySet());
        VM.forEach((value, expected) -> assertThat(OvirtMapping.vmStatus(value)).as(value).isEqualTo(expected));
    }

    @Test
    void everyHostStatusOfTheSdkHasItsMapping() {
        assertThat(Arrays.stream(org.ovirt.engine.sdk4.types.HostStatus.values()).map(s -> s.value()))
                .containsExactlyInAnyOrderElementsOf(HOST.keySet());
        HOST.forEach((value, expected) -> assertThat(OvirtMapping.hostStatus(value)).as(value).isEqualTo(expected));
    }

    @Test
    void aValueNoEngineSentYetIsUnknownNeitherAFailureNorARecovery() {
        assertThat(OvirtMapping.vmStatus("hibernating")).isEqualTo(VmStatus.UNKNOWN);
        assertThat(OvirtMapping.vmStatus(null)).isEqualTo(VmStatus.UNKNOWN);
        assertThat(OvirtMapping.hostStatus("quarantined")).isEqualTo(HostStatus.UNKNOWN);
        assertThat(OvirtMapping.hostStatus("quarantined").isFailureSignal()).isFalse();
        assertThat(OvirtMapping.hostStatus(null)).isEqualTo(HostStatus.UNKNOWN);
    }
}
