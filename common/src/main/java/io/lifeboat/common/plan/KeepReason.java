package io.lifeboat.common.plan;

/** Why a LUN stays mapped to the failed host (DESIGN.md, "Unmap nothing that is still in use"). */
public enum KeepReason {
    /** A VM still running on that host uses it. */
    IN_USE_ON_HOST,
    /** It backs a block storage domain: every host of the data center needs it. */
    BACKS_STORAGE_DOMAIN,
    /** A VM on another host shares it. */
    SHARED_WITH_OTHER_HOST,
    /** Its VM is soft-deleted and still restorable. */
    VM_SOFT_DELETED_RESTORABLE,
    /** The disk's LUN id is not a WWID we can name on the SAN. */
    UNKNOWN_WWID
}
