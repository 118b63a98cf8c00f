package io.lifeboat.common.plan;

import io.lifeboat.common.Nullable;
import io.lifeboat.common.Require;
import io.lifeboat.common.id.VmKey;
import io.lifeboat.common.lun.LunWwid;

/**
 * One LUN of an unmap plan.
 *
 * @param lunId      the LUN id as the platform reported it (kept even when it is not a valid WWID)
 * @param wwid       the parsed WWID; null only with keep reason UNKNOWN_WWID
 * @param keepReason set exactly when decision is KEEP
 * @param detail     human-readable detail, e.g. which VM on which host still uses it
 */
public record UnmapPlanEntry(String lunId, @Nullable LunWwid wwid, VmKey vm, String vmName, @Nullable String diskId,
                             @Nullable String diskName, UnmapDecision decision, @Nullable KeepReason keepReason,
                             @Nullable String detail) {
    public UnmapPlanEntry {
        Require.text(lunId, "lunId");
        Require.field(vm, "vm");
        Require.text(vmName, "vmName");
        Require.field(decision, "decision");
        if (decision == UnmapDecision.KEEP && keepReason == null) {
            throw new IllegalArgumentException("a kept LUN needs a keepReason");
        }
        if (decision == UnmapDecision.UNMAP && (keepReason != null || wwid == null)) {
            throw new IllegalArgumentException("a LUN to unmap needs a wwid and no keepReason");
        }
    }
}
