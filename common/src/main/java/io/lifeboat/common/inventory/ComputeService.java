package io.lifeboat.common.inventory;

import io.lifeboat.common.Nullable;
import io.lifeboat.common.Require;

import java.time.Instant;

/**
 * The nova-compute service of an OpenStack host, from {@code GET /os-services} (wire-formats.md A.2).
 *
 * @param id            integer before compute 2.53, a UUID from 2.53 — kept as text
 * @param state         {@code up} or {@code down}, computed by Nova from the heartbeat and {@code forced_down}
 * @param status        {@code enabled} or {@code disabled}
 * @param forcedDown    null below microversion 2.11, where the field does not exist
 * @param updatedAt     last heartbeat as Nova reports it
 */
public record ComputeService(String id, String binary, String state, String status, @Nullable Boolean forcedDown,
                             @Nullable String disabledReason, @Nullable Instant updatedAt, @Nullable String zone) {
    public ComputeService {
        Require.text(id, "id");
        Require.text(binary, "binary");
        Require.text(state, "state");
        Require.text(status, "status");
    }
}
