package io.lifeboat.simulator.openstack;

import java.util.Map;

/** A flavor; {@code extraSpecs} may carry {@code hw:watchdog_action} (wire-formats.md E.5). */
public record NovaFlavor(String id, String name, int vcpus, int ramMb, int diskGb, Map<String, String> extraSpecs) {
}
