package io.lifeboat.common.incident;

import io.lifeboat.common.Nullable;
import io.lifeboat.common.Require;
import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.id.VmKey;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A guest crash or hang, correlated from one or more raw libvirt events. Published on
 * {@code lifeboat.guest-incidents.v1}, keyed by VM (or hypervisor/domain while uncorrelated). Re-published with a
 * higher {@code eventCount} when more events join it.
 *
 * @param vm          null until the domain is correlated to an inventory VM
 * @param action      the watchdog action or io-error action taken, when there is one
 * @param rawEventIds the CloudEvents ids of the raw events that make up the incident
 */
public record GuestIncident(UUID incidentId, IncidentKind kind, @Nullable VmKey vm, @Nullable String vmName,
                            @Nullable HostKey host, String hypervisor, @Nullable String domainUuid,
                            @Nullable String domainName, @Nullable String action, Instant firstSeenAt,
                            Instant lastSeenAt, int eventCount, List<String> rawEventIds, @Nullable String detail) {

    public static final String TYPE = "lifeboat.guest-incident.v1";

    public GuestIncident {
        Require.field(incidentId, "incidentId");
        Require.field(kind, "kind");
        Require.text(hypervisor, "hypervisor");
        Require.field(firstSeenAt, "firstSeenAt");
        Require.field(lastSeenAt, "lastSeenAt");
        Require.nonNegative(eventCount, "eventCount");
        rawEventIds = Require.list(rawEventIds);
    }
}
