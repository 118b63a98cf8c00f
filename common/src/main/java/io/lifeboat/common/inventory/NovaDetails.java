package io.lifeboat.common.inventory;

import io.lifeboat.common.Nullable;
import io.lifeboat.common.Require;

/**
 * Nova's own view of a server (wire-formats.md A.4), kept because evacuation decisions depend on it.
 *
 * @param vmState      {@code OS-EXT-STS:vm_state}, exact spelling ({@code soft-delete}, not "soft-deleted")
 * @param taskState    {@code OS-EXT-STS:task_state}, null when idle
 * @param powerState   {@code OS-EXT-STS:power_state}: 0 NOSTATE, 1 RUNNING, 3 PAUSED, 4 SHUTDOWN, 6 CRASHED, 7 SUSPENDED
 * @param instanceName {@code OS-EXT-SRV-ATTR:instance_name}, the libvirt domain name
 * @param hostStatus   {@code host_status} (2.16+): UP, DOWN, MAINTENANCE, UNKNOWN or empty
 */
public record NovaDetails(String vmState, @Nullable String taskState, @Nullable Integer powerState,
                          @Nullable String instanceName, @Nullable String hypervisorHostname,
                          @Nullable String flavorName, @Nullable String imageId, @Nullable String hostStatus,
                          @Nullable String projectId) {
    public NovaDetails {
        Require.text(vmState, "vmState");
    }
}
