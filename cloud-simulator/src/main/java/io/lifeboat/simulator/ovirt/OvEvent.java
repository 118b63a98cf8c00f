package io.lifeboat.simulator.ovirt;

import java.time.Instant;

/**
 * An entry of the engine's events feed, with the real {@code AuditLogType} code (wire-formats.md D.5). {@code index}
 * grows with every event; {@code /events?from=N} returns those with a higher index.
 */
public record OvEvent(long id, long index, int code, String severity, Instant time, String description,
                      String hostId, String vmId, String clusterId) {
}
