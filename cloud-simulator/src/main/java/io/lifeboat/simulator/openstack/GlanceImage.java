package io.lifeboat.simulator.openstack;

import java.util.Map;

/** A Glance v2 image; {@code properties} may carry {@code hw_watchdog_action}, which overrides the flavor. */
public record GlanceImage(String id, String name, Map<String, String> properties) {
}
