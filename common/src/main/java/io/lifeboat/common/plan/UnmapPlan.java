package io.lifeboat.common.plan;

import io.lifeboat.common.Nullable;
import io.lifeboat.common.Require;
import io.lifeboat.common.id.HostKey;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The SAN mappings to remove from a failed host, as of a time: every LUN of the VMs that were on it just before
 * {@code asOf}, each to unmap or to keep with its reason. Producing a plan changes nothing on the SAN.
 *
 * @param sanHostName the host object's name on the SAN, which differs from the cloud's name (configured per host)
 * @param trigger     what asked for it: {@code host-failure:<episode>}, {@code operator:<user>}...
 */
public record UnmapPlan(UUID planId, HostKey host, String hostName, @Nullable String sanHostName, Instant asOf,
                        Instant generatedAt, String trigger, List<UnmapPlanEntry> entries) {

    public static final String TYPE = "lifeboat.unmap-plan.generated.v1";

    public UnmapPlan {
        Require.field(planId, "planId");
        Require.field(host, "host");
        Require.text(hostName, "hostName");
        Require.field(asOf, "asOf");
        Require.field(generatedAt, "generatedAt");
        Require.text(trigger, "trigger");
        entries = Require.list(entries);
    }
}
