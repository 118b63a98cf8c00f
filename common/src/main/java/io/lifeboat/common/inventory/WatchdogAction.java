package io.lifeboat.common.inventory;

import java.util.Locale;

/**
 * What a guest watchdog does on expiry. Nova's {@code hw:watchdog_action} / {@code hw_watchdog_action} take
 * none|pause|poweroff|reset|disabled (default disabled = no device); libvirt's domain XML also allows shutdown, dump
 * and inject-nmi (wire-formats.md E.3, E.5).
 */
public enum WatchdogAction {
    RESET, SHUTDOWN, POWEROFF, PAUSE, NONE, DUMP, INJECT_NMI;

    /** Parses the platform spelling ({@code inject-nmi}, {@code poweroff}...), any case. */
    public static WatchdogAction parse(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "reset" -> RESET;
            case "shutdown" -> SHUTDOWN;
            case "poweroff" -> POWEROFF;
            case "pause" -> PAUSE;
            case "none" -> NONE;
            case "dump", "debug" -> DUMP;
            case "inject-nmi", "inject_nmi" -> INJECT_NMI;
            default -> throw new IllegalArgumentException("unknown watchdog action '" + value
                    + "' (expected reset, shutdown, poweroff, pause, none, dump or inject-nmi)");
        };
    }
}
