package io.lifeboat.simulator.openstack;

import java.time.Duration;
import java.time.Instant;

/**
 * A nova-compute service and the hypervisor it runs on. Its {@code state} is computed the way Nova's servicegroup
 * DB driver does (wire-formats.md A.1 step 5, A.2): down when forced down, or when the last heartbeat is older than
 * {@code service_down_time}. A host that lost power or network stops heart-beating at that moment.
 */
public final class NovaService {
    public final int intId;              // id below compute 2.53
    public final String uuid;            // id from 2.53
    public final String host;            // the service host: what evacuate and os-services take
    public final String hypervisorHostname;
    public final int hypervisorIntId;
    public final String hypervisorUuid;
    public final String zone;
    public final String sanHostName;
    /** The hypervisor's physical CPUs and memory (placement's VCPU and MEMORY_MB totals); a test may resize them. */
    public volatile int vcpus;
    public volatile int memoryMb;
    public final boolean reserved;

    public String status = "enabled";
    public String disabledReason;
    public boolean forcedDown;

    public boolean poweredOn = true;
    public boolean networkReachable = true;
    public boolean storageReachable = true;
    /** Whether the host's BMC has power: not after a total power loss (host and BMC), so nothing can fence it. */
    public boolean bmcPowered = true;
    /** The hypervisor's {@code host_ip}: a documentation address, or a loopback one with a management network. */
    public volatile String managementAddress;
    Instant lastHeartbeat;

    public NovaService(int intId, String uuid, String host, String hypervisorHostname, int hypervisorIntId,
                       String hypervisorUuid, String zone, String sanHostName, int vcpus, int memoryMb,
                       boolean reserved, Instant now) {
        this.intId = intId;
        this.uuid = uuid;
        this.host = host;
        this.hypervisorHostname = hypervisorHostname;
        this.hypervisorIntId = hypervisorIntId;
        this.hypervisorUuid = hypervisorUuid;
        this.zone = zone;
        this.sanHostName = sanHostName;
        this.vcpus = vcpus;
        this.memoryMb = memoryMb;
        this.reserved = reserved;
        this.lastHeartbeat = now;
        this.managementAddress = "192.0.2." + (intId % 250);
        if (reserved) {
            status = "disabled";
            disabledReason = "reserved host";
        }
    }

    /** Whether the service is still reporting (truth: powered and reachable). */
    public boolean heartbeating() {
        return poweredOn && networkReachable;
    }

    /** The last heartbeat Nova recorded ({@code updated_at}). */
    public Instant updatedAt(Instant now) {
        return heartbeating() ? now : lastHeartbeat;
    }

    /** {@code up} or {@code down} as Nova computes it. */
    public String state(Instant now, Duration serviceDownTime) {
        if (forcedDown) {
            return "down";
        }
        return Duration.between(updatedAt(now), now).compareTo(serviceDownTime) > 0 ? "down" : "up";
    }

    public boolean up(Instant now, Duration serviceDownTime) {
        return "up".equals(state(now, serviceDownTime));
    }

    /** The server's {@code host_status} (2.16+): UP, DOWN (forced down), MAINTENANCE (disabled) or UNKNOWN. */
    public String hostStatus(Instant now, Duration serviceDownTime) {
        if (forcedDown) {
            return "DOWN";
        }
        if (!up(now, serviceDownTime)) {
            return "UNKNOWN";
        }
        return "disabled".equals(status) ? "MAINTENANCE" : "UP";
    }

    void stopHeartbeat(Instant now) {
        if (heartbeating()) {
            lastHeartbeat = now;
        }
    }
}
