package io.lifeboat.simulator.ovirt;

public record OvCluster(String id, String name, String dataCenterId) {
}
