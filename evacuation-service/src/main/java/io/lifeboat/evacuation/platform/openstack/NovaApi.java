package io.lifeboat.evacuation.platform.openstack;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The Nova calls a recovery needs (wire-formats.md A), behind one interface so the decisions are testable alone. */
public interface NovaApi {

    /**
     * A nova-compute service (A.2); {@code id} is a UUID from 2.53, an integer before; {@code updatedAt} its last
     * heartbeat in Nova's clock (null when never reported).
     */
    record ComputeService(String id, String host, String state, String status, Boolean forcedDown,
                          String disabledReason, Instant updatedAt) {
    }

    /**
     * A server as evacuation sees it (A.4).
     *
     * @param vmState   {@code OS-EXT-STS:vm_state}, exact spelling ({@code soft-delete})
     * @param taskState {@code OS-EXT-STS:task_state}, null when idle
     * @param fault     the fault message of a server in ERROR
     */
    record Server(String id, String name, String host, String status, String vmState, String taskState,
                  Map<String, String> metadata, List<String> tags, Map<String, String> flavorExtraSpecs,
                  String fault, Flavor flavor, String imageId) {
    }

    /**
     * The instance's flavor: embedded from 2.47 (its own copy, right even when the flavor was deleted), read from
     * {@code /flavors/{id}} before; {@code vcpus}/{@code ramMb} are -1 when unknown (a deleted flavor before 2.47).
     */
    record Flavor(String name, int vcpus, int ramMb) {
        public static final Flavor UNKNOWN = new Flavor(null, -1, -1);

        public boolean known() {
            return vcpus >= 0 && ramMb >= 0;
        }
    }

    /**
     * A hypervisor with its capacity ({@code GET /os-hypervisors/detail} at 2.87 at the most: 2.88 dropped these
     * fields). {@code memoryMbUsed} counts {@code reserved_host_memory_mb}; {@code host} is its service's host.
     */
    record Hypervisor(String host, String hostname, String state, String status, int vcpus, int vcpusUsed,
                      long memoryMb, long memoryMbUsed) {
    }

    /** An evacuation migration record ({@code GET /os-migrations}). */
    record Migration(String id, String serverId, String sourceCompute, String destCompute, String status,
                     Instant createdAt) {
    }

    /** The configured compute microversion, e.g. 53 for 2.53. */
    int microversion();

    Optional<ComputeService> computeService(String host);

    /** Every nova-compute service of the region: one call, for the heartbeat probe. */
    List<ComputeService> computeServices();

    /** Forces the service down and disables it with the reason: the 2.53 form, else the 2.11 form (A.2). */
    default ComputeService forceDown(String host, String reason) {
        return forceDown(computeService(host).orElseThrow(() -> new io.lifeboat.cloud.CloudCallException(
                "no nova-compute service on host " + host, 404, null)), reason);
    }

    /** {@link #forceDown(String, String)} of a service just read: one call fewer. */
    ComputeService forceDown(ComputeService service, String reason);

    /**
     * Unfences a host that is back: unsets {@code forced_down} and enables its service (the 2.53 form, else the 2.11
     * form), so that Nova counts it up again from its heartbeat and schedules to it.
     */
    ComputeService unfence(String host);

    /** Enables a (reserved) host's service. */
    void enable(String host);

    /** Every hypervisor of the region, with its capacity. */
    List<Hypervisor> hypervisors();

    /** Every server of the region, all projects, every page (deleted ones excluded, as Nova lists them). */
    List<Server> servers();

    /** Every server on the host, all projects, every page. */
    List<Server> serversOn(String host);

    Optional<Server> server(String id);

    /** {@code os-resetState}: only {@code active} or {@code error}. */
    void resetState(String id, String state);

    /** {@code evacuate}, to the host or (null) the scheduler's choice. Made once: never retried here. */
    void evacuate(String id, String targetHost);

    void start(String id);

    void stop(String id);

    /** The instance's evacuation migrations, newest first. */
    List<Migration> evacuations(String serverId);

    /**
     * Every image's properties by image id (Glance v2, page by page): the keys an operator sets on an image
     * ({@code evacuable=true}) beside Glance's own.
     */
    Map<String, Map<String, String>> imageProperties();

    /** Every flavor's extra specs by flavor id (embedded in the listing from 2.61; one call per flavor before). */
    Map<String, Map<String, String>> flavorExtraSpecs();
}
