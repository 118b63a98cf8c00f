package io.lifeboat.common.topic;

import java.util.Map;

/**
 * The topic catalogue (DESIGN.md, "Event flow and topics"). Every topic has a dead-letter companion {@code <name>.dlq}
 * that consumers write records they could not process to, with the reason in headers.
 */
public enum Topic {
    INVENTORY_HOSTS("lifeboat.inventory.hosts.v1", 6, true, "host key",
            "Full current state of every host (compacted: the latest state per host)."),
    INVENTORY_VMS("lifeboat.inventory.vms.v1", 12, true, "VM key",
            "Full current state of every VM (compacted); a tombstone when the VM is gone."),
    INVENTORY_STORAGE_DOMAINS("lifeboat.inventory.storage-domains.v1", 3, true, "storage domain key",
            "Full current state of every oVirt storage domain and the LUNs backing block domains (compacted)."),
    INFRA_EVENTS("lifeboat.infra.events.v1", 12, false, "host key for host events, VM key for VM events, source id"
            + " for cycle events",
            "Transitions observed: host status changed, VM discovered/status changed/moved/removed, disk attached or"
                    + " detached, collection cycle finished."),
    HOST_FAILURES("lifeboat.host-failures.v1", 6, false, "host key (source id for partition alerts)",
            "Host-failure lifecycle: suspected, confirmed, fenced, recovering, closed; partition alerts."),
    UNMAP_PLANS("lifeboat.unmap-plans.v1", 3, false, "host key",
            "Unmap plans produced for failed hosts."),
    RECOVERY("lifeboat.recovery.v1", 6, false, "host key",
            "Recovery runs and per-instance progress."),
    LIBVIRT_RAW("lifeboat.libvirt.raw.v1", 6, false, "hypervisor",
            "Raw libvirt domain events from hypervisor agents and other ingestion paths."),
    GUEST_INCIDENTS("lifeboat.guest-incidents.v1", 6, false, "VM key (hypervisor/domain while uncorrelated)",
            "Guest crash and hang incidents correlated from libvirt events.");

    /** Retained topics keep 30 days; dead-letter topics 14 days (long enough to notice, replay and fix). */
    private static final String RETAINED_MS = String.valueOf(30L * 24 * 3600 * 1000);
    private static final String DLQ_RETAINED_MS = String.valueOf(14L * 24 * 3600 * 1000);
    private static final String COMPACTION_LAG_MS = String.valueOf(7L * 24 * 3600 * 1000);

    private final String topicName;
    private final int partitions;
    private final boolean compacted;
    private final String key;
    private final String description;

    Topic(String topicName, int partitions, boolean compacted, String key, String description) {
        this.topicName = topicName;
        this.partitions = partitions;
        this.compacted = compacted;
        this.key = key;
        this.description = description;
    }

    public String topicName() {
        return topicName;
    }

    public String dlqName() {
        return topicName + ".dlq";
    }

    public int partitions() {
        return partitions;
    }

    public boolean compacted() {
        return compacted;
    }

    public String key() {
        return key;
    }

    public String description() {
        return description;
    }

    /**
     * Broker-side topic configuration. Compacted topics keep their uncompacted tail for 7 days, so that every state
     * of the last week stays readable: the mapping-service can rebuild a week of history from them.
     */
    public Map<String, String> configs() {
        return compacted
                ? Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", COMPACTION_LAG_MS)
                : Map.of("cleanup.policy", "delete", "retention.ms", RETAINED_MS);
    }

    public static Map<String, String> dlqConfigs() {
        return Map.of("cleanup.policy", "delete", "retention.ms", DLQ_RETAINED_MS);
    }

    public static Topic byName(String name) {
        for (Topic t : values()) {
            if (t.topicName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown topic '" + name + "'");
    }
}
