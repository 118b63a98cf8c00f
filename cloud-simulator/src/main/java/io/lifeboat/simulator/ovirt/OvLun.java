package io.lifeboat.simulator.ovirt;

/** A SAN LUN as oVirt's {@code logical_unit} shows it (wire-formats.md D.3): id is the multipath WWID. */
public record OvLun(String wwid, String vendorId, String productId, String serial, long sizeBytes, int lunMapping,
                    int paths) {
}
