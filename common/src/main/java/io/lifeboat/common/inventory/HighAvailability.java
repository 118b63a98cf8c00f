package io.lifeboat.common.inventory;

/**
 * Whether the platform or Lifeboat should bring the VM back after a host failure. oVirt: {@code high_availability}
 * (priority 0-100). OpenStack: an HA / evacuable marker in server metadata, flavor extra specs or image properties,
 * with an optional priority from metadata.
 */
public record HighAvailability(boolean enabled, int priority) {
    public static final HighAvailability NONE = new HighAvailability(false, 0);
}
