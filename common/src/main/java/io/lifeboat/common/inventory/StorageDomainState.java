package io.lifeboat.common.inventory;

import io.lifeboat.common.Nullable;
import io.lifeboat.common.Require;
import io.lifeboat.common.id.StorageDomainKey;
import io.lifeboat.common.lun.LunWwid;

import java.time.Instant;
import java.util.List;

/**
 * An oVirt storage domain. Block domains (iSCSI / FC) are backed by LUNs that every host of the data center must keep
 * mapped, so the unmap plan must never touch them (DESIGN.md, "Unmap nothing that is still in use").
 *
 * @param storageType {@code iscsi}, {@code fcp}, {@code nfs}...
 * @param luns        the LUNs of a block domain's volume group; empty for file domains
 */
public record StorageDomainState(StorageDomainKey domain, String name, String type, @Nullable String storageType,
                                 @Nullable String dataCenterId, List<LunWwid> luns, Instant observedAt) {

    public static final String TYPE = "lifeboat.storage-domain.state.v1";

    public StorageDomainState {
        Require.field(domain, "domain");
        Require.text(name, "name");
        Require.text(type, "type");
        luns = Require.list(luns);
        Require.field(observedAt, "observedAt");
    }
}
