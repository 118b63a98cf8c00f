package io.lifeboat.simulator.openstack;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Nova server with the fields the HA decisions use (wire-formats.md A.4): the exact vm_state spellings,
 * power_state as an integer, the service host, and the volumes attached. {@code running} is ground truth: whether
 * the guest really runs on {@code host} (false once the host lost power).
 */
public final class NovaServer {
    public final String id;
    public final String name;
    public final String projectId;
    public final String userId;
    public final String instanceName;
    public final Instant createdAt;
    public final Map<String, String> metadata = new LinkedHashMap<>();
    public final List<String> tags = new ArrayList<>();
    public final List<String> volumeIds = new ArrayList<>();
    public final Map<String, List<String>> addresses = new LinkedHashMap<>();

    public String flavorId;
    public String imageId;
    public String host;
    /**
     * The instance's own availability zone (the zone it was scheduled to, or asked for): what the API shows while it
     * has no host (shelved offloaded); null for a server that was never scheduled, which shows {@code ""}.
     */
    public String availabilityZone;
    public String vmState = "active";
    public String taskState;
    public int powerState = 1;
    public Instant updatedAt;
    public Instant launchedAt;
    public Instant deletedAt;
    public boolean deleted;
    public boolean running = true;
    /** A fault injection: the libvirt domain stays on the hypervisor after the server is reclaimed. */
    public boolean leaveDomainOnReclaim;
    public String lastFault;

    public NovaServer(String id, String name, String projectId, String userId, String instanceName,
                      Instant createdAt) {
        this.id = id;
        this.name = name;
        this.projectId = projectId;
        this.userId = userId;
        this.instanceName = instanceName;
        this.createdAt = createdAt;
        this.updatedAt = createdAt;
        this.launchedAt = createdAt;
    }

    /** The API {@code status}, derived from (vm_state, task_state) as Nova's _STATE_MAP does. */
    public String status() {
        String task = taskState == null ? "" : taskState;
        boolean rebuild = task.startsWith("rebuild");
        boolean resize = task.equals("resize_prep") || task.equals("resize_migrating")
                || task.equals("resize_migrated") || task.equals("resize_finish");
        return switch (vmState) {
            case "active" -> rebuild ? "REBUILD" : resize ? "RESIZE" : task.equals("migrating") ? "MIGRATING"
                    : task.startsWith("reboot") ? (task.endsWith("hard") ? "HARD_REBOOT" : "REBOOT")
                    : task.equals("updating_password") ? "PASSWORD" : "ACTIVE";
            case "building" -> "BUILD";
            case "stopped" -> rebuild ? "REBUILD" : resize ? "RESIZE" : "SHUTOFF";
            case "paused" -> task.equals("migrating") ? "MIGRATING" : "PAUSED";
            case "suspended" -> "SUSPENDED";
            case "rescued" -> "RESCUE";
            case "resized" -> task.equals("resize_reverting") ? "REVERT_RESIZE" : "VERIFY_RESIZE";
            case "soft-delete" -> "SOFT_DELETED";
            case "deleted" -> "DELETED";
            case "error" -> rebuild ? "REBUILD" : "ERROR";
            case "shelved" -> "SHELVED";
            case "shelved_offloaded" -> "SHELVED_OFFLOADED";
            default -> "UNKNOWN";
        };
    }
}
