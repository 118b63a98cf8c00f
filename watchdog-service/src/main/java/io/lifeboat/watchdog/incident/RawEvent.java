package io.lifeboat.watchdog.incident;

import io.lifeboat.common.libvirt.LibvirtRawEvent;

/** A raw libvirt event and its id (the CloudEvents id it came with). */
public record RawEvent(String id, LibvirtRawEvent event) {
}
