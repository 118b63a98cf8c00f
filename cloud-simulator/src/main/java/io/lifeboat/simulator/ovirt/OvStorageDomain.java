package io.lifeboat.simulator.ovirt;

import java.util.List;

/** A storage domain; block domains ({@code fcp}/{@code iscsi}) are a volume group on LUNs every host needs. */
public record OvStorageDomain(String id, String name, String type, String storageType, String dataCenterId,
                              String volumeGroupId, List<OvLun> luns) {

    public boolean block() {
        return "fcp".equals(storageType) || "iscsi".equals(storageType);
    }
}
