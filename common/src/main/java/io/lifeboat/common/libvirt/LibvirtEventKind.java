package io.lifeboat.common.libvirt;

/**
 * The libvirt domain event ids Lifeboat listens to, with libvirt's numbers ({@code virDomainEventID},
 * wire-formats.md E.1).
 */
public enum LibvirtEventKind {
    LIFECYCLE(0),
    REBOOT(1),
    WATCHDOG(3),
    IO_ERROR(4),
    IO_ERROR_REASON(6),
    CONTROL_ERROR(7);

    private final int libvirtId;

    LibvirtEventKind(int libvirtId) {
        this.libvirtId = libvirtId;
    }

    public int libvirtId() {
        return libvirtId;
    }
}
