package io.lifeboat.common.inventory;

/** Where a VM disk's data lives. */
public enum DiskStorageType {
    /** oVirt image disk on a storage domain; Nova local or shared-storage ephemeral disk. */
    IMAGE,
    /** oVirt direct LUN ({@code storage_type=lun}). */
    LUN,
    /** A Cinder volume (OpenStack, or oVirt {@code cinder}). */
    VOLUME,
    /** oVirt managed block storage. */
    MANAGED_BLOCK
}
