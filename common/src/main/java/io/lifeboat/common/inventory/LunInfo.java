package io.lifeboat.common.inventory;

import io.lifeboat.common.Nullable;
import io.lifeboat.common.Require;
import io.lifeboat.common.lun.LunWwid;

/**
 * A SAN LUN behind a disk: an oVirt direct LUN's {@code logical_unit}, or the LUN of a Cinder volume on SVC (from its
 * {@code volume_wwn} metadata, wire-formats.md C.2).
 */
public record LunInfo(LunWwid wwid, @Nullable String vendor, @Nullable String product, @Nullable String serial,
                      @Nullable Long sizeBytes) {
    public LunInfo {
        Require.field(wwid, "wwid");
    }
}
