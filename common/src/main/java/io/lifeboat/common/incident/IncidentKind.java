package io.lifeboat.common.incident;

/** What happened to a guest, classified from its libvirt events. */
public enum IncidentKind {
    /** Kernel hang: the watchdog fired and its action was taken (reset, pause, poweroff...). */
    WATCHDOG_ACTION,
    /** Kernel panic reported by a pvpanic / panic device: lifecycle Crashed Panicked. */
    GUEST_PANIC,
    /** Paused on a storage I/O error: lifecycle Suspended I/O Error, io-error events. */
    STORAGE_IO_ERROR,
    /** Stopped without being asked to: lifecycle Stopped Failed / Crashed. */
    UNEXPECTED_STOP,
    /** The same guest crashed repeatedly within a window. */
    CRASH_LOOP
}
