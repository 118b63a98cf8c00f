package io.lifeboat.watchdog.incident;

import io.lifeboat.common.incident.IncidentKind;
import io.lifeboat.common.libvirt.LibvirtRawEvent;

import java.util.Locale;
import java.util.Set;

/**
 * What a raw libvirt event means for the guest (wire-formats.md E.1, E.4): the incident it starts or joins, or
 * nothing (a normal start, a user's pause). {@code joins} are the incident kinds it belongs to when one is already
 * open for the guest: a watchdog fires, then libvirt reports the pause or the reboot it caused; a watchdog poweroff
 * shows as Stopped Failed; a panic ends in Stopped Crashed.
 *
 * @param kind     the incident kind it starts; null when it only joins
 * @param action   the action taken (watchdog action, io-error action, panic detail)
 */
public record Classification(IncidentKind kind, String action, String detail, Set<IncidentKind> joins) {

    /** The incident kinds that count towards a crash loop. */
    public static final Set<IncidentKind> CRASHES = Set.of(IncidentKind.GUEST_PANIC, IncidentKind.UNEXPECTED_STOP,
            IncidentKind.WATCHDOG_ACTION);

    /** Null for events that are not a guest failure. */
    public static Classification of(LibvirtRawEvent e) {
        return switch (e.kind()) {
            case WATCHDOG -> new Classification(IncidentKind.WATCHDOG_ACTION, e.watchdogAction(),
                    "watchdog fired: " + e.watchdogAction(), Set.of(IncidentKind.WATCHDOG_ACTION));
            case REBOOT -> new Classification(null, null, null, Set.of(IncidentKind.WATCHDOG_ACTION));
            case IO_ERROR, IO_ERROR_REASON -> new Classification(IncidentKind.STORAGE_IO_ERROR,
                    e.ioError() == null ? null : e.ioError().action(), ioDetail(e), Set.of(IncidentKind.STORAGE_IO_ERROR));
            case LIFECYCLE -> lifecycle(e);
            case CONTROL_ERROR -> null;
        };
    }

    private static Classification lifecycle(LibvirtRawEvent e) {
        String type = e.lifecycleType() == null ? "" : e.lifecycleType();
        String detail = e.lifecycleDetail() == null ? "" : e.lifecycleDetail();
        return switch (type) {
            case "Suspended" -> switch (detail) {
                case "Watchdog" -> new Classification(IncidentKind.WATCHDOG_ACTION, "pause", "paused by the watchdog",
                        Set.of(IncidentKind.WATCHDOG_ACTION));
                case "I/O Error" -> new Classification(IncidentKind.STORAGE_IO_ERROR, "pause",
                        "paused on an I/O error", Set.of(IncidentKind.STORAGE_IO_ERROR));
                default -> null;
            };
            case "Crashed" -> new Classification(IncidentKind.GUEST_PANIC, detail.toLowerCase(Locale.ROOT),
                    "guest kernel panic (" + detail + ")", Set.of(IncidentKind.GUEST_PANIC));
            case "Stopped" -> switch (detail) {
                case "Failed", "Crashed" -> new Classification(IncidentKind.UNEXPECTED_STOP, null,
                        "stopped unexpectedly (" + detail + ")", Set.of(IncidentKind.UNEXPECTED_STOP,
                        IncidentKind.WATCHDOG_ACTION, IncidentKind.GUEST_PANIC));
                default -> null;
            };
            default -> null;
        };
    }

    private static String ioDetail(LibvirtRawEvent e) {
        if (e.ioError() == null) {
            return "I/O error";
        }
        return "I/O error on " + e.ioError().srcPath() + " (" + e.ioError().devAlias() + ")"
                + (e.ioError().reason() == null ? "" : " due to " + e.ioError().reason());
    }
}
