package io.lifeboat.watchdog.ingest;

import io.lifeboat.common.libvirt.LibvirtRawEvent;

import java.util.Optional;

/**
 * The longest value each field of a raw event may have (the {@code raw_event} columns). Checked where events are
 * accepted (HTTP) and where they are consumed (the topic, which agents write to directly), so that an event is
 * refused with its reason, never accepted and then dead-lettered by the database.
 */
public final class RawEventLimits {

    private RawEventLimits() {
    }

    public static Optional<String> check(LibvirtRawEvent e) {
        return first(
                over("hypervisor", e.hypervisor(), 255),
                over("host", e.host() == null ? null : e.host().toString(), 300),
                over("domainUuid", e.domainUuid(), 64),
                over("domainName", e.domainName(), 255),
                over("lifecycleType", e.lifecycleType(), 32),
                over("lifecycleDetail", e.lifecycleDetail(), 64),
                over("watchdogAction", e.watchdogAction(), 16),
                over("ioError.srcPath", e.ioError() == null ? null : e.ioError().srcPath(), 255),
                over("ioError.devAlias", e.ioError() == null ? null : e.ioError().devAlias(), 64),
                over("ioError.action", e.ioError() == null ? null : e.ioError().action(), 16),
                over("ioError.reason", e.ioError() == null ? null : e.ioError().reason(), 64),
                over("rawLine", e.rawLine(), 4096),
                nul("hypervisor", e.hypervisor()), nul("domainName", e.domainName()),
                nul("domainUuid", e.domainUuid()), nul("rawLine", e.rawLine()));
    }

    @SafeVarargs
    private static Optional<String> first(Optional<String>... checks) {
        for (Optional<String> c : checks) {
            if (c.isPresent()) {
                return c;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> over(String field, String value, int max) {
        return value != null && value.length() > max
                ? Optional.of("'" + field + "' is " + value.length() + " characters long (at most " + max + ")")
                : Optional.empty();
    }

    /** PostgreSQL text cannot hold a NUL character. */
    private static Optional<String> nul(String field, String value) {
        return value != null && value.indexOf('\0') >= 0
                ? Optional.of("'" + field + "' contains a NUL character")
                : Optional.empty();
    }
}
