package io.lifeboat.common.plan;

import io.lifeboat.common.Require;

import java.util.List;
import java.util.UUID;

/**
 * How a plan differs from an earlier plan of the same host and time, e.g. the plan at the end of a recovery against
 * the plan at its confirmation: the LUNs (WWID, or LUN id when it is not one) that became safe to unmap once the VMs
 * moved, and those that an unmap now keeps.
 *
 * @param inventoryCaughtUp true when every VM of the earlier plan had been observed again after the recovery ended
 *                          before this plan was built; false when it was built after waiting its longest, with what
 *                          was known then (a VM not observed since may still look as it did)
 */
public record UnmapPlanComparison(UUID previousPlanId, String previousTrigger, List<String> becameUnmap,
                                  List<String> becameKept, boolean inventoryCaughtUp) {
    public UnmapPlanComparison {
        Require.field(previousPlanId, "previousPlanId");
        Require.text(previousTrigger, "previousTrigger");
        becameUnmap = Require.list(becameUnmap);
        becameKept = Require.list(becameKept);
    }
}
