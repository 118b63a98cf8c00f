package io.lifeboat.watchdog.ingest;

import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.libvirt.IngestPath;
import io.lifeboat.common.libvirt.IoErrorInfo;
import io.lifeboat.common.libvirt.LibvirtEventKind;
import io.lifeboat.common.libvirt.LibvirtRawEvent;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code LC_ALL=C virsh event --all --loop --timestamp} output (wire-formats.md E.2), one line at a time:
 * <pre>
 * 2024-05-01 10:00:02.481+0000: event 'watchdog' for domain 'instance-0000a1b2': pause
 * 2024-05-01 10:00:02.482+0000: event 'lifecycle' for domain 'instance-0000a1b2': Suspended Watchdog
 * 2024-05-01 10:03:11.007+0000: event 'io-error' for domain 'instance-0000a1c4': /dev/dm-7 (virtio-disk1) pause due to eio
 * </pre>
 * Older virsh prints the domain name unquoted; both forms are accepted. The closing lines of {@code virsh event}
 * ({@code events received: N}, {@code event loop interrupted}) are recognised and skipped.
 */
public final class VirshEventLines {

    private static final Pattern LINE = Pattern.compile(
            "^(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3})\\+0000: event '([a-z-]+)' for domain "
                    + "(?:'([^']+)'|([^':\\s]+)):?\\s*(.*)$");
    private static final Pattern IO_ERROR = Pattern.compile(
            "^(\\S+) \\(([^)]*)\\) (none|pause|report)(?: due to (\\S+))?$");
    /** Strict: 2024-02-30 is refused, not read as the 29th. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSS")
            .withResolverStyle(java.time.format.ResolverStyle.STRICT);
    private static final Set<String> WATCHDOG_ACTIONS = Set.of("none", "pause", "reset", "poweroff", "shutdown",
            "debug", "inject-nmi");
    /** Lifecycle types as virsh displays them (E.1, E.2). */
    private static final Set<String> LIFECYCLE_TYPES = Set.of("Defined", "Undefined", "Started", "Suspended",
            "Resumed", "Stopped", "Shutdown", "PMSuspended", "Crashed");
    private static final Pattern UUID = Pattern.compile(
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

    private VirshEventLines() {
    }

    /** A line that is not an event (blank, or virsh's closing lines). */
    public static boolean ignorable(String line) {
        String l = line.strip();
        return l.isEmpty() || l.startsWith("events received:") || l.equals("event loop interrupted")
                || l.equals("event loop timed out");
    }

    /**
     * One event line to a raw event.
     *
     * @throws IllegalArgumentException with the reason, for a line that is not a {@code virsh event} line
     */
    public static LibvirtRawEvent parse(String line, String hypervisor, HostKey host) {
        Matcher m = LINE.matcher(line.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a 'virsh event --timestamp' line (expected \"YYYY-MM-DD"
                    + " HH:MM:SS.mmm+0000: event '<name>' for domain '<domain>': <details>\")");
        }
        Instant at;
        try {
            at = LocalDateTime.parse(m.group(1), TIME).toInstant(ZoneOffset.UTC);
        } catch (java.time.DateTimeException e) {
            throw new IllegalArgumentException("impossible time '" + m.group(1) + "': " + e.getMessage());
        }
        String event = m.group(2);
        String domain = m.group(3) != null ? m.group(3) : m.group(4);
        String rest = m.group(5).strip();
        // A domain given by UUID (virsh event --domain <uuid>) is kept as the UUID; a name otherwise.
        String uuid = UUID.matcher(domain).matches() ? domain.toLowerCase() : null;
        String name = uuid == null ? domain : null;
        return switch (event) {
            case "watchdog" -> {
                if (!WATCHDOG_ACTIONS.contains(rest)) {
                    throw new IllegalArgumentException("unknown watchdog action '" + rest + "'");
                }
                yield new LibvirtRawEvent(hypervisor, host, uuid, name, LibvirtEventKind.WATCHDOG, null, null, rest,
                        null, at, IngestPath.HTTP, line.strip());
            }
            case "lifecycle" -> {
                int sp = rest.indexOf(' ');
                String type = sp < 0 ? rest : rest.substring(0, sp);
                String detail = sp < 0 ? null : rest.substring(sp + 1).strip();
                if (!LIFECYCLE_TYPES.contains(type)) {
                    throw new IllegalArgumentException("unknown lifecycle event type '" + type + "'");
                }
                yield new LibvirtRawEvent(hypervisor, host, uuid, name, LibvirtEventKind.LIFECYCLE, type, detail,
                        null, null, at, IngestPath.HTTP, line.strip());
            }
            case "io-error" -> {
                Matcher io = IO_ERROR.matcher(rest);
                if (!io.matches()) {
                    throw new IllegalArgumentException("io-error details must be '<path> (<alias>) none|pause|report"
                            + " [due to <reason>]', got '" + rest + "'");
                }
                yield new LibvirtRawEvent(hypervisor, host, uuid, name, io.group(4) == null ? LibvirtEventKind.IO_ERROR
                        : LibvirtEventKind.IO_ERROR_REASON, null, null, null, new IoErrorInfo(io.group(1),
                        io.group(2), io.group(3), io.group(4)), at, IngestPath.HTTP, line.strip());
            }
            case "reboot" -> new LibvirtRawEvent(hypervisor, host, uuid, name, LibvirtEventKind.REBOOT, null, null,
                    null, null, at, IngestPath.HTTP, line.strip());
            case "control-error" -> new LibvirtRawEvent(hypervisor, host, uuid, name,
                    LibvirtEventKind.CONTROL_ERROR, null, null, null, null, at, IngestPath.HTTP, line.strip());
            default -> throw new IllegalArgumentException("event '" + event + "' is not one Lifeboat takes (watchdog,"
                    + " lifecycle, io-error, reboot, control-error)");
        };
    }
}
