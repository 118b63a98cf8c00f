package io.lifeboat.simulator.ovirt;

public record OvDataCenter(String id, String name) {
}
