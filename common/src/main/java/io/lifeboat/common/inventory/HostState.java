package io.lifeboat.common.inventory;

import io.lifeboat.common.Nullable;
import io.lifeboat.common.Require;
import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.id.SourceKind;

import java.time.Instant;

/**
 * Full current state of a hypervisor host, published to the compacted {@code lifeboat.inventory.hosts.v1} topic.
 *
 * @param platformStatus         the platform's own status (oVirt host status; Nova {@code <state>/<status>})
 * @param statusDetail           oVirt {@code status_detail} (non-operational or maintenance reason)
 * @param hypervisorHostname     Nova {@code hypervisor_hostname}, often the FQDN, which may differ from the service host
 * @param powerManagementEnabled oVirt power management configured (the engine can fence it); null when unknown
 */
public record HostState(
        HostKey host,
        SourceKind platform,
        String name,
        @Nullable ClusterRef cluster,
        HostStatus status,
        String platformStatus,
        @Nullable String statusDetail,
        @Nullable String address,
        @Nullable String hypervisorHostname,
        @Nullable Boolean powerManagementEnabled,
        @Nullable ComputeService computeService,
        Instant observedAt) {

    public static final String TYPE = "lifeboat.host.state.v1";

    public HostState {
        Require.field(host, "host");
        Require.field(platform, "platform");
        Require.text(name, "name");
        Require.field(status, "status");
        Require.text(platformStatus, "platformStatus");
        Require.field(observedAt, "observedAt");
    }
}
