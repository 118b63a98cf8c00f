package io.lifeboat.simulator.ovirt;

import java.util.List;

/** A VM NIC and the addresses the guest agent reports on it ({@code reported_devices}). */
public record OvNic(String id, String name, String mac, List<String> ips) {
}
