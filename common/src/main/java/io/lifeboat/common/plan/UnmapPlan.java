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
 * @param trigger     what asked for it: {@code host-failure:<episode>}, {@code host-recovery:<episode>},
 *                    {@code operator:<user>}...
 * @param basis       which VMs it is about: those on the host just before {@code asOf}, or, when the host was already
 *                    failed at its first observation, those first observed on it (absent in plans before it existed:
 *                    {@link PlanBasis#BEFORE_AS_OF})
 * @param comparison  its difference from an earlier plan of the same failure (the recovery's end against its
 *                    confirmation), when there was one
 */
public record UnmapPlan(UUID planId, HostKey host, String hostName, @Nullable String sanHostName, Instant asOf,
                        Instant generatedAt, String trigger, @Nullable PlanBasis basis,
                        @Nullable UnmapPlanComparison comparison,
                        List<UnmapPlanEntry> entries) {

    public static final String TYPE = "lifeboat.unmap-plan.generated.v1";

    public UnmapPlan {
        Require.field(planId, "planId");
        Require.field(host, "host");
        Require.text(hostName, "hostName");
        Require.field(asOf, "asOf");
        Require.field(generatedAt, "generatedAt");
        Require.text(trigger, "trigger");
        basis = basis == null ? PlanBasis.BEFORE_AS_OF : basis;
        entries = Require.list(entries);
    }
}
