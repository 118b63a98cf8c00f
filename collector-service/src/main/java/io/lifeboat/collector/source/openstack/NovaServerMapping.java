package io.lifeboat.collector.source.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.id.SourceId;
import io.lifeboat.common.id.SourceKind;
import io.lifeboat.common.id.VmKey;
import io.lifeboat.common.inventory.ClusterRef;
import io.lifeboat.common.inventory.CpuTopology;
import io.lifeboat.common.inventory.Deletion;
import io.lifeboat.common.inventory.DeletionState;
import io.lifeboat.common.inventory.DiskStorageType;
import io.lifeboat.common.inventory.HighAvailability;
import io.lifeboat.common.inventory.HostRef;
import io.lifeboat.common.inventory.LunInfo;
import io.lifeboat.common.inventory.NovaDetails;
import io.lifeboat.common.inventory.VmDisk;
import io.lifeboat.common.inventory.VmState;
import io.lifeboat.common.inventory.VmStatus;
import io.lifeboat.common.inventory.Watchdog;
import io.lifeboat.common.inventory.WatchdogAction;
import io.lifeboat.common.inventory.WatchdogSource;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** A Nova server (JSON at compute 2.53, wire-formats.md A.4) → {@link VmState}. */
final class NovaServerMapping {

    private static final long MIB = 1024L * 1024;
    private static final long GIB = 1024L * MIB;
    private static final Set<String> TRUE = Set.of("true", "1", "yes", "on");

    /** A Cinder volume as the collector needs it. */
    record VolumeInfo(String id, String name, Integer sizeGb, String volumeWwn) {
    }

    private NovaServerMapping() {
    }

    /**
     * The normalised status from Nova's vm_state, task_state and power_state, one explicit case per value of
     * {@code nova/compute/vm_states.py} (wire-formats.md A.4). It says what the guest is doing, as Nova's own
     * {@code status} does ({@code nova/api/openstack/common.py}), with two differences that matter for HA:
     * <ul>
     *   <li>a guest paused by an I/O error or its watchdog keeps vm_state active with power_state 3 (Nova ignores an
     *       unexpected pause, wire-formats.md E.5): PAUSED, as is an active guest that Nova found suspended (7);
     *       an active guest whose power state is shutdown (4) or crashed (6) is DOWN;</li>
     *   <li>a rebuild (also an evacuation) is REBUILDING; a live migration, a cold migration or resize, and the
     *       revert of a resize move the guest between hosts: MIGRATING. Only where Nova's map gives the task a
     *       status of its own for that vm_state: a server in error with a leftover task is ERROR.</li>
     * </ul>
     * Other task states (powering-off, rebooting, image_snapshot...) leave the guest where vm_state says. A vm_state
     * this code does not know (a future Nova) is UNKNOWN: never reported running or down on a guess; the raw value
     * travels in {@code platformStatus} and {@code nova.vmState}.
     */
    static VmStatus status(String vmState, String taskState, Integer powerState) {
        String task = taskState == null ? "" : taskState;
        // The task states Nova's _STATE_MAP gives a status of their own, per vm_state.
        boolean rebuild = task.equals("rebuilding") || task.equals("rebuild_block_device_mapping")
                || task.equals("rebuild_spawning");
        boolean resize = task.equals("resize_prep") || task.equals("resize_migrating")
                || task.equals("resize_migrated") || task.equals("resize_finish");
        return switch (vmState == null ? "" : vmState) {
            case "active" -> rebuild ? VmStatus.REBUILDING
                    : resize || task.equals("migrating") ? VmStatus.MIGRATING
                    : powerState == null ? VmStatus.RUNNING : switch (powerState) {
                        case 3 -> VmStatus.PAUSED;
                        case 7 -> VmStatus.SUSPENDED;
                        case 4, 6 -> VmStatus.DOWN;
                        default -> VmStatus.RUNNING;   // 1 running; 0 no state (the domain is being looked for)
                    };
            case "building" -> VmStatus.STARTING;
            case "stopped" -> rebuild ? VmStatus.REBUILDING : resize ? VmStatus.MIGRATING : VmStatus.DOWN;
            case "paused" -> task.equals("migrating") ? VmStatus.MIGRATING : VmStatus.PAUSED;
            case "suspended" -> VmStatus.SUSPENDED;
            case "rescued" -> VmStatus.RUNNING;   // RESCUE: the rescue image runs, the guest's disks attached
            case "resized" -> task.equals("resize_reverting") ? VmStatus.MIGRATING   // REVERT_RESIZE
                    : VmStatus.RUNNING;           // VERIFY_RESIZE: running on the destination until confirmed
            case "soft-delete" -> VmStatus.SOFT_DELETED;
            case "deleted" -> VmStatus.DOWN;      // DELETED: runs nowhere; deletion says the rest
            case "error" -> rebuild ? VmStatus.REBUILDING : VmStatus.ERROR;   // a leftover task stays ERROR
            case "shelved", "shelved_offloaded" -> VmStatus.SHELVED;
            default -> VmStatus.UNKNOWN;
        };
    }

    static VmState vm(SourceId source, JsonNode s, Map<String, VolumeInfo> volumes,
                      Map<String, Map<String, String>> imageProperties, Duration reclaimInterval, Instant at) {
        String id = s.path("id").asText();
        String vmState = text(s, "OS-EXT-STS:vm_state");
        String taskState = text(s, "OS-EXT-STS:task_state");
        Integer powerState = s.hasNonNull("OS-EXT-STS:power_state") ? s.get("OS-EXT-STS:power_state").asInt() : null;
        // A server that never got scheduled has no host and an empty availability zone ("", not null).
        String host = blankToNull(text(s, "OS-EXT-SRV-ATTR:host"));
        String az = blankToNull(text(s, "OS-EXT-AZ:availability_zone"));
        JsonNode flavor = s.path("flavor");
        Map<String, String> extraSpecs = strings(flavor.path("extra_specs"));
        String imageId = s.path("image").isObject() ? text(s.path("image"), "id") : null;
        Map<String, String> imageProps = imageId == null ? Map.of() : imageProperties.getOrDefault(imageId, Map.of());
        Map<String, String> metadata = strings(s.path("metadata"));
        List<String> tags = new ArrayList<>();
        s.path("tags").forEach(t -> tags.add(t.asText()));

        List<String> ips = new ArrayList<>();
        for (Iterator<JsonNode> nets = s.path("addresses").elements(); nets.hasNext(); ) {
            nets.next().forEach(a -> ips.add(a.path("addr").asText()));
        }
        List<VmDisk> disks = new ArrayList<>();
        if (imageId != null) {
            // The image-backed root disk lives on the hypervisor; Nova gives it no id of its own.
            disks.add(new VmDisk(id + ":root", "root", flavor.hasNonNull("disk") ? flavor.get("disk").asLong() * GIB
                    : null, "vda", DiskStorageType.IMAGE, null, true, null));
        }
        for (JsonNode va : s.path("os-extended-volumes:volumes_attached")) {
            String volId = va.path("id").asText();
            VolumeInfo v = volumes.get(volId);
            LunInfo lun = v == null || v.volumeWwn() == null ? null
                    : LunInfo.of(v.volumeWwn(), "IBM", "2145", null, v.sizeGb() == null ? null : v.sizeGb() * GIB);
            disks.add(new VmDisk(volId, v == null ? null : v.name(),
                    v == null || v.sizeGb() == null ? null : v.sizeGb() * GIB, null, DiskStorageType.VOLUME, null,
                    imageId == null && disks.isEmpty(), lun));
        }
        CpuTopology cpu = flavor.hasNonNull("vcpus")
                ? NovaCpuTopology.of(flavor.get("vcpus").asInt(), extraSpecs, imageProps) : null;
        Long memory = flavor.hasNonNull("ram") ? flavor.get("ram").asLong() * MIB : null;

        Deletion deletion = Deletion.NONE;
        if ("soft-delete".equals(vmState)) {
            Instant deletedAt = time(text(s, "updated"));
            deletion = new Deletion(DeletionState.SOFT_DELETED, deletedAt,
                    deletedAt == null || reclaimInterval == null ? null : deletedAt.plus(reclaimInterval));
        } else if ("deleted".equals(vmState)) {
            deletion = new Deletion(DeletionState.DELETED, time(text(s, "OS-SRV-USG:terminated_at")), null);
        }
        return new VmState(VmKey.of(source, id), SourceKind.OPENSTACK, s.path("name").asText(id),
                az == null ? null : new ClusterRef(az, az),
                host == null ? null : new HostRef(HostKey.of(source, host), host),
                status(vmState, taskState, powerState), s.path("status").asText("UNKNOWN"), taskState, ips, memory,
                cpu, disks, ha(metadata, tags, extraSpecs, imageProps), null, null,
                watchdog(extraSpecs, imageProps), deletion, metadata, tags,
                new NovaDetails(vmState == null ? "unknown" : vmState, taskState, powerState,
                        text(s, "OS-EXT-SRV-ATTR:instance_name"), text(s, "OS-EXT-SRV-ATTR:hypervisor_hostname"),
                        text(flavor, "original_name"), imageId, text(s, "host_status"), text(s, "tenant_id")),
                at);
    }

    /**
     * The watchdog device Nova gives the guest: the image property {@code hw_watchdog_action} overrides the flavor's
     * {@code hw:watchdog_action}; {@code disabled} (the default) means no device; the model is always i6300esb
     * (wire-formats.md E.5).
     */
    static Watchdog watchdog(Map<String, String> flavorExtraSpecs, Map<String, String> imageProps) {
        String image = imageProps.get("hw_watchdog_action");
        String flavor = flavorExtraSpecs.get("hw:watchdog_action");
        String action = image != null ? image : flavor;
        if (action == null || action.equalsIgnoreCase("disabled")) {
            return null;
        }
        try {
            return new Watchdog("i6300esb", WatchdogAction.parse(action),
                    image != null ? WatchdogSource.IMAGE_PROPERTY : WatchdogSource.FLAVOR_EXTRA_SPEC);
        } catch (IllegalArgumentException e) {
            return null;   // Nova itself refuses such a value (InvalidWatchdogAction); no device is created
        }
    }

    /**
     * HA / evacuable marker: server metadata {@code ha}, {@code evacuable} or Masakari's {@code HA_Enabled}, a tag {@code ha} or {@code evacuable},
     * or {@code evacuable} in flavor extra specs or image properties (peers.md: instance HA tagging). Priority from
     * metadata {@code ha_priority}.
     */
    static HighAvailability ha(Map<String, String> metadata, List<String> tags, Map<String, String> extraSpecs,
                               Map<String, String> imageProps) {
        boolean on = truthy(metadata.get("ha")) || truthy(metadata.get("evacuable"))
                || truthy(metadata.get("HA_Enabled"))
                || tags.stream().anyMatch(t -> t.equalsIgnoreCase("ha") || t.equalsIgnoreCase("evacuable"))
                || truthy(extraSpecs.get("evacuable")) || truthy(imageProps.get("evacuable"));
        int priority = 0;
        try {
            priority = metadata.containsKey("ha_priority") ? Integer.parseInt(metadata.get("ha_priority").strip()) : 0;
        } catch (NumberFormatException e) {
            priority = 0;
        }
        return new HighAvailability(on, priority);
    }

    private static boolean truthy(String v) {
        return v != null && TRUE.contains(v.strip().toLowerCase(Locale.ROOT));
    }

    static Map<String, String> strings(JsonNode obj) {
        Map<String, String> m = new LinkedHashMap<>();
        obj.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        return m;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** Nova's times: {@code 2024-05-01T10:00:00Z}, or DB form without zone ({@code ...00.000000}), UTC. */
    static Instant time(String t) {
        if (t == null || t.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (RuntimeException e) {
            try {
                return java.time.LocalDateTime.parse(t).toInstant(java.time.ZoneOffset.UTC);
            } catch (RuntimeException e2) {
                return null;
            }
        }
    }
}
