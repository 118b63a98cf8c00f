package io.lifeboat.common.inventory;

import io.lifeboat.common.Nullable;
import io.lifeboat.common.Require;
import io.lifeboat.common.lun.LunWwid;

/**
 * A SAN LUN behind a disk: an oVirt direct LUN's {@code logical_unit}, or the LUN of a Cinder volume on SVC (from its
 * {@code volume_wwn} metadata, wire-formats.md C.2).
 *
 * @param id   the LUN id exactly as the platform reported it
 * @param wwid the id as a WWID; null when it is not one (the unmap plan then keeps it, reason UNKNOWN_WWID)
 */
public record LunInfo(String id, @Nullable LunWwid wwid, @Nullable String vendor, @Nullable String product,
                      @Nullable String serial, @Nullable Long sizeBytes) {
    public LunInfo {
        Require.text(id, "id");
    }

    /** From a reported id: parsed into a WWID when it is one. */
    public static LunInfo of(String id, String vendor, String product, String serial, Long sizeBytes) {
        return new LunInfo(id, LunWwid.isValid(id) ? LunWwid.parse(id) : null, vendor, product, serial, sizeBytes);
    }
}
