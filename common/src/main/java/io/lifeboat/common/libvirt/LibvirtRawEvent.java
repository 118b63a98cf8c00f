package io.lifeboat.common.libvirt;

import io.lifeboat.common.Nullable;
import io.lifeboat.common.Require;
import io.lifeboat.common.id.HostKey;

import java.time.Instant;

/**
 * One libvirt domain event from a hypervisor, normalised whatever way it arrived. Published on
 * {@code lifeboat.libvirt.raw.v1}, keyed by hypervisor.
 *
 * @param hypervisor      the hypervisor's host name as the sender knows it
 * @param host            the inventory host, when the sender or the ingester knows it
 * @param domainUuid      the libvirt domain UUID (= Nova instance UUID / oVirt VM id), when known
 * @param domainName      the libvirt domain name (Nova {@code instance-XXXXXXXX}), when known; one of the two is required
 * @param lifecycleType   for LIFECYCLE: libvirt's event type name, e.g. {@code Suspended}, {@code Stopped}, {@code Crashed}
 * @param lifecycleDetail for LIFECYCLE: libvirt's detail name, e.g. {@code I/O Error}, {@code Watchdog}, {@code Failed},
 *                        {@code Panicked} (virsh's display strings, wire-formats.md E.2)
 * @param watchdogAction  for WATCHDOG: none, pause, reset, poweroff, shutdown, debug or inject-nmi
 * @param rawLine         the original text when it came as a {@code virsh event} line
 */
public record LibvirtRawEvent(String hypervisor, @Nullable HostKey host, @Nullable String domainUuid,
                              @Nullable String domainName, LibvirtEventKind kind, @Nullable String lifecycleType,
                              @Nullable String lifecycleDetail, @Nullable String watchdogAction,
                              @Nullable IoErrorInfo ioError, Instant occurredAt, IngestPath via,
                              @Nullable String rawLine) {

    public static final String TYPE = "lifeboat.libvirt.raw-event.v1";

    public LibvirtRawEvent {
        Require.text(hypervisor, "hypervisor");
        if ((domainUuid == null || domainUuid.isBlank()) && (domainName == null || domainName.isBlank())) {
            throw new IllegalArgumentException("a libvirt event needs 'domainUuid' or 'domainName'");
        }
        Require.field(kind, "kind");
        Require.field(occurredAt, "occurredAt");
        Require.field(via, "via");
    }
}
