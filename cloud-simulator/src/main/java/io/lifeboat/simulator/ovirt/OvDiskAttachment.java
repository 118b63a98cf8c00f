package io.lifeboat.simulator.ovirt;

/** A disk attached to a VM (oVirt {@code disk_attachment}; its id is the disk's id). */
public record OvDiskAttachment(OvDisk disk, boolean bootable, String iface, String logicalName, boolean active) {
}
