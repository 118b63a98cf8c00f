package io.lifeboat.common.plan;

import io.lifeboat.common.Require;

import java.util.List;
import java.util.UUID;

/**
 * How a plan differs from an earlier plan of the same host and time, e.g. the plan at the end of a recovery against
 * the plan at its confirmation: the LUNs (WWID, or LUN id when it is not one) that became safe to unmap once the VMs
 * moved, and those that an unmap now keeps.
 */
public record UnmapPlanComparison(UUID previousPlanId, String previousTrigger, List<String> becameUnmap,
                                  List<String> becameKept) {
    public UnmapPlanComparison {
        Require.field(previousPlanId, "previousPlanId");
        Require.text(previousTrigger, "previousTrigger");
        becameUnmap = Require.list(becameUnmap);
        becameKept = Require.list(becameKept);
    }
}
