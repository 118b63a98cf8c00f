package io.lifeboat.mapping.lineage;

import io.lifeboat.common.inventory.HostState;
import io.lifeboat.common.inventory.VmState;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * PostgreSQL keeps microseconds and rounds finer times, while events carry nanoseconds: every time is truncated to
 * microseconds before it is stored or compared, so that "as of the failure" means the same instant everywhere.
 */
public final class Times {

    private Times() {
    }

    public static Instant micros(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.MICROS);
    }

    static HostState micros(HostState s) {
        return new HostState(s.host(), s.platform(), s.name(), s.cluster(), s.status(), s.platformStatus(),
                s.statusDetail(), s.address(), s.hypervisorHostname(), s.powerManagementEnabled(), s.computeService(),
                micros(s.observedAt()));
    }

    static VmState micros(VmState s) {
        return new VmState(s.vm(), s.platform(), s.name(), s.cluster(), s.host(), s.status(), s.platformStatus(),
                s.statusDetail(), s.ipAddresses(), s.memoryBytes(), s.cpu(), s.disks(), s.ha(), s.placement(),
                s.storageErrorResume(), s.watchdog(),
                new io.lifeboat.common.inventory.Deletion(s.deletion().state(), micros(s.deletion().deletedAt()),
                        micros(s.deletion().reclaimAt())), s.metadata(), s.tags(), s.nova(), micros(s.observedAt()));
    }
}
