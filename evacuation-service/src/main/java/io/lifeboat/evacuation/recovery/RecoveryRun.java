package io.lifeboat.evacuation.recovery;

import io.lifeboat.common.recovery.RecoveryRunState;
import io.lifeboat.common.recovery.RecoveryStep;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A recovery of a failed host (or of one VM an operator asked for), as a sequence of named, persisted steps. */
@Entity
@Table(name = "recovery_run")
public class RecoveryRun extends PanacheEntityBase {

    /** HOST: a failed host's recovery; VM: one VM an operator asked for; STORAGE: VMs paused on a storage error. */
    public enum Kind { HOST, VM, STORAGE }

    @Id
    public UUID id;

    @Column(name = "episode_id")
    public UUID episodeId;

    @Column(name = "host_key", nullable = false)
    public String hostKey;

    @Column(name = "source_id", nullable = false)
    public String sourceId;

    @Column(nullable = false)
    public String platform;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Kind kind;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public RecoveryRunState state;

    @Enumerated(EnumType.STRING)
    public RecoveryStep step;

    @Column(name = "triggered_by", nullable = false)
    public String triggeredBy;

    /** An operator's requested target host for every move (one-VM runs). */
    @Column(name = "target_host")
    public String targetHost;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "first_call_at")
    public Instant firstCallAt;

    @Column(name = "last_call_at")
    public Instant lastCallAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    public String detail;

    @Column(name = "lease_owner")
    public String leaseOwner;

    @Column(name = "lease_until")
    public Instant leaseUntil;

    public boolean active() {
        return state == RecoveryRunState.PLANNED || state == RecoveryRunState.AWAITING_APPROVAL
                || state == RecoveryRunState.RUNNING;
    }
}
