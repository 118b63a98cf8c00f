package io.lifeboat.common.event;

import io.lifeboat.common.change.CollectionCycleFinished;
import io.lifeboat.common.change.DiskAttached;
import io.lifeboat.common.change.DiskDetached;
import io.lifeboat.common.change.HostStatusChanged;
import io.lifeboat.common.change.VmDiscovered;
import io.lifeboat.common.change.VmMovedHost;
import io.lifeboat.common.change.VmRemoved;
import io.lifeboat.common.change.VmStatusChanged;
import io.lifeboat.common.failure.HostFailureChanged;
import io.lifeboat.common.failure.PartitionSuspected;
import io.lifeboat.common.incident.GuestIncident;
import io.lifeboat.common.inventory.HostState;
import io.lifeboat.common.inventory.StorageDomainState;
import io.lifeboat.common.inventory.VmState;
import io.lifeboat.common.libvirt.LibvirtRawEvent;
import io.lifeboat.common.plan.UnmapPlan;
import io.lifeboat.common.recovery.FailoverForecastChanged;
import io.lifeboat.common.recovery.InstanceMoveChanged;
import io.lifeboat.common.recovery.RecoveryRunChanged;
import io.lifeboat.common.topic.Topic;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** The registry of every event type Lifeboat publishes. A consumer rejects any type not listed here. */
public final class EventTypes {

    public static final EventType<HostState> HOST_STATE = of(HostState.TYPE, HostState.class,
            Topic.INVENTORY_HOSTS, e -> e.host().toString(), "Full current state of a host.");
    public static final EventType<VmState> VM_STATE = of(VmState.TYPE, VmState.class,
            Topic.INVENTORY_VMS, e -> e.vm().toString(),
            "Full current state of a VM: host, cluster, status, IPs, CPU, RAM, disks with LUN WWIDs, HA, placement,"
                    + " watchdog, deletion state.");
    public static final EventType<StorageDomainState> STORAGE_DOMAIN_STATE = of(StorageDomainState.TYPE,
            StorageDomainState.class, Topic.INVENTORY_STORAGE_DOMAINS, e -> e.domain().toString(),
            "Full current state of an oVirt storage domain and the LUNs behind a block domain.");

    public static final EventType<HostStatusChanged> HOST_STATUS_CHANGED = of(HostStatusChanged.TYPE,
            HostStatusChanged.class, Topic.INFRA_EVENTS, e -> e.host().toString(), "A host's status changed.");
    public static final EventType<VmDiscovered> VM_DISCOVERED = of(VmDiscovered.TYPE, VmDiscovered.class,
            Topic.INFRA_EVENTS, e -> e.vm().toString(), "A VM was seen for the first time.");
    public static final EventType<VmStatusChanged> VM_STATUS_CHANGED = of(VmStatusChanged.TYPE,
            VmStatusChanged.class, Topic.INFRA_EVENTS, e -> e.vm().toString(), "A VM's status changed.");
    public static final EventType<VmMovedHost> VM_MOVED_HOST = of(VmMovedHost.TYPE, VmMovedHost.class,
            Topic.INFRA_EVENTS, e -> e.vm().toString(), "A VM's host changed.");
    public static final EventType<DiskAttached> DISK_ATTACHED = of(DiskAttached.TYPE, DiskAttached.class,
            Topic.INFRA_EVENTS, e -> e.vm().toString(), "A disk or LUN was attached to a VM.");
    public static final EventType<DiskDetached> DISK_DETACHED = of(DiskDetached.TYPE, DiskDetached.class,
            Topic.INFRA_EVENTS, e -> e.vm().toString(), "A disk or LUN was detached from a VM.");
    public static final EventType<VmRemoved> VM_REMOVED = of(VmRemoved.TYPE, VmRemoved.class,
            Topic.INFRA_EVENTS, e -> e.vm().toString(), "A VM is gone from its source.");
    public static final EventType<CollectionCycleFinished> COLLECTION_CYCLE_FINISHED = of(
            CollectionCycleFinished.TYPE, CollectionCycleFinished.class, Topic.INFRA_EVENTS,
            e -> e.source().toString(), "An inventory cycle of one source finished.");

    public static final EventType<HostFailureChanged> HOST_FAILURE_CHANGED = of(HostFailureChanged.TYPE,
            HostFailureChanged.class, Topic.HOST_FAILURES, e -> e.host().toString(),
            "A host-failure episode moved to a new phase.");
    public static final EventType<PartitionSuspected> PARTITION_SUSPECTED = of(PartitionSuspected.TYPE,
            PartitionSuspected.class, Topic.HOST_FAILURES, e -> e.source().toString(),
            "Too many hosts of a source look down at once: nothing is recovered until an operator decides.");

    public static final EventType<UnmapPlan> UNMAP_PLAN = of(UnmapPlan.TYPE, UnmapPlan.class, Topic.UNMAP_PLANS,
            e -> e.host().toString(), "The SAN unmap plan for a failed host.");

    public static final EventType<RecoveryRunChanged> RECOVERY_RUN_CHANGED = of(RecoveryRunChanged.TYPE,
            RecoveryRunChanged.class, Topic.RECOVERY, e -> e.host().toString(),
            "A recovery run changed state or step.");
    public static final EventType<InstanceMoveChanged> INSTANCE_MOVE_CHANGED = of(InstanceMoveChanged.TYPE,
            InstanceMoveChanged.class, Topic.RECOVERY, e -> e.failedHost().toString(),
            "One instance's progress within a recovery run.");
    public static final EventType<FailoverForecastChanged> FAILOVER_FORECAST_CHANGED = of(
            FailoverForecastChanged.TYPE, FailoverForecastChanged.class, Topic.RECOVERY, e -> e.host().toString(),
            "Which of a host's instances would not fit anywhere if it failed now changed (an empty list: all would).");

    public static final EventType<LibvirtRawEvent> LIBVIRT_RAW_EVENT = of(LibvirtRawEvent.TYPE,
            LibvirtRawEvent.class, Topic.LIBVIRT_RAW, LibvirtRawEvent::hypervisor,
            "A libvirt domain event from a hypervisor.");
    public static final EventType<GuestIncident> GUEST_INCIDENT = of(GuestIncident.TYPE, GuestIncident.class,
            Topic.GUEST_INCIDENTS, EventTypes::incidentKey, "A guest crash or hang incident.");

    private static final Map<String, EventType<?>> BY_TYPE = new LinkedHashMap<>();
    private static final Map<Class<?>, EventType<?>> BY_CLASS = new LinkedHashMap<>();

    static {
        for (EventType<?> t : List.of(HOST_STATE, VM_STATE, STORAGE_DOMAIN_STATE, HOST_STATUS_CHANGED, VM_DISCOVERED,
                VM_STATUS_CHANGED, VM_MOVED_HOST, DISK_ATTACHED, DISK_DETACHED, VM_REMOVED, COLLECTION_CYCLE_FINISHED,
                HOST_FAILURE_CHANGED, PARTITION_SUSPECTED, UNMAP_PLAN, RECOVERY_RUN_CHANGED, INSTANCE_MOVE_CHANGED,
                FAILOVER_FORECAST_CHANGED, LIBVIRT_RAW_EVENT, GUEST_INCIDENT)) {
            if (BY_TYPE.put(t.type(), t) != null || BY_CLASS.put(t.dataClass(), t) != null) {
                throw new IllegalStateException("duplicate event type " + t.type());
            }
        }
    }

    private EventTypes() {
    }

    private static <T> EventType<T> of(String type, Class<T> dataClass, Topic topic, Function<T, String> keyOf,
                                       String description) {
        return new EventType<>(type, dataClass, topic, keyOf, description);
    }

    private static String incidentKey(GuestIncident i) {
        if (i.vm() != null) {
            return i.vm().toString();
        }
        return i.hypervisor() + "/" + (i.domainUuid() != null ? i.domainUuid() : i.domainName());
    }

    public static List<EventType<?>> all() {
        return List.copyOf(BY_TYPE.values());
    }

    public static Optional<EventType<?>> byType(String type) {
        return Optional.ofNullable(BY_TYPE.get(type));
    }

    @SuppressWarnings("unchecked")
    public static <T> EventType<T> forData(T data) {
        EventType<?> t = BY_CLASS.get(data.getClass());
        if (t == null) {
            throw new IllegalArgumentException("no event type for " + data.getClass().getName());
        }
        return (EventType<T>) t;
    }

    public static List<EventType<?>> onTopic(Topic topic) {
        return BY_TYPE.values().stream().filter(t -> t.topic() == topic).toList();
    }
}
