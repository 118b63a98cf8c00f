package io.lifeboat.common.recovery;

import io.lifeboat.common.Require;
import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.id.VmKey;

import java.time.Instant;
import java.util.List;

/**
 * A host's failover plan changed in what matters: which of its instances would not fit anywhere if it failed now.
 * Published when that set changes, an empty list included (all would fit again), keyed by the host.
 *
 * @param evacuable   the instances a recovery would evacuate
 * @param unplaceable those of them nothing would accept, each with the reason
 */
public record FailoverForecastChanged(HostKey host, String hostName, int evacuable, List<Unplaceable> unplaceable,
                                      Instant computedAt) {

    public static final String TYPE = "lifeboat.recovery.failover-forecast-changed.v1";

    /** One instance that would not fit: its size and why. */
    public record Unplaceable(VmKey vm, String name, int vcpus, int ramMb, String reason) {
        public Unplaceable {
            Require.field(vm, "vm");
            Require.text(reason, "reason");
        }
    }

    public FailoverForecastChanged {
        Require.field(host, "host");
        Require.text(hostName, "hostName");
        Require.nonNegative(evacuable, "evacuable");
        unplaceable = Require.list(unplaceable);
        Require.field(computedAt, "computedAt");
    }
}
