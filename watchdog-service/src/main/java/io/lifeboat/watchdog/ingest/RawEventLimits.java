package io.lifeboat.watchdog.ingest;

import io.lifeboat.common.id.Identifiers;
import io.lifeboat.common.libvirt.LibvirtRawEvent;

import java.util.Optional;

/**
 * The longest value each field of a raw event may have (the {@code raw_event} columns); the hypervisor follows the
 * one identifier pattern ({@link Identifiers}). Checked where events are
 * accepted (HTTP) and where they are consumed (the topic, which agents write to directly), so that an event is
 * refused with its reason, never accepted and then dead-lettered by the database.
 */
public final class RawEventLimits {

    private RawEventLimits() {
    }

    public static Optional<String> check(LibvirtRawEvent e) {
        var io = e.ioError();
        return first(
                e.hypervisor() == null ? Optional.empty()
                        : Identifiers.idProblem(e.hypervisor()).map(why -> "'hypervisor' " + why),
                field("host", e.host() == null ? null : e.host().toString(), Identifiers.MAX_KEY),
                field("domainUuid", e.domainUuid(), 64),
                field("domainName", e.domainName(), 255),
                field("lifecycleType", e.lifecycleType(), 32),
                field("lifecycleDetail", e.lifecycleDetail(), 64),
                field("watchdogAction", e.watchdogAction(), 16),
                field("ioError.srcPath", io == null ? null : io.srcPath(), 255),
                field("ioError.devAlias", io == null ? null : io.devAlias(), 64),
                field("ioError.action", io == null ? null : io.action(), 16),
                field("ioError.reason", io == null ? null : io.reason(), 64),
                field("rawLine", e.rawLine(), 4096));
    }

    /** Every text field: not longer than its column, and no NUL (PostgreSQL text cannot hold one). */
    private static Optional<String> field(String name, String value, int max) {
        return over(name, value, max).or(() -> nul(name, value));
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
