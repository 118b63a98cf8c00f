package io.lifeboat.common.inventory;

/** Where a VM's watchdog configuration was read. The image property overrides the flavor (wire-formats.md E.5). */
public enum WatchdogSource {
    FLAVOR_EXTRA_SPEC,
    IMAGE_PROPERTY,
    DOMAIN_XML,
    OVIRT_DEVICE
}
