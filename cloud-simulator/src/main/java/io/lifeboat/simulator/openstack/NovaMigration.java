package io.lifeboat.simulator.openstack;

import java.time.Instant;

/**
 * A Migration row; an evacuation creates one with {@code migration_type=evacuation}, status {@code accepted}, then
 * {@code done} when the rebuild finished (or {@code failed}).
 */
public final class NovaMigration {
    public final int id;
    public final String uuid;
    public final String serverId;
    public final String sourceCompute;
    public final String migrationType;
    public final Instant createdAt;
    public String destCompute;
    public String status;
    public Instant updatedAt;

    public NovaMigration(int id, String uuid, String serverId, String sourceCompute, String destCompute,
                         String migrationType, String status, Instant createdAt) {
        this.id = id;
        this.uuid = uuid;
        this.serverId = serverId;
        this.sourceCompute = sourceCompute;
        this.destCompute = destCompute;
        this.migrationType = migrationType;
        this.status = status;
        this.createdAt = createdAt;
        this.updatedAt = createdAt;
    }
}
