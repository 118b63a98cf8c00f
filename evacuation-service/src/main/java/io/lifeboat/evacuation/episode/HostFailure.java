package io.lifeboat.evacuation.episode;

import io.lifeboat.common.failure.HostFailurePhase;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** One failure episode of one host; at most one is open per host (a unique index, not only this code). */
@Entity
@Table(name = "host_failure")
public class HostFailure extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "host_key", nullable = false)
    public String hostKey;

    @Column(name = "source_id", nullable = false)
    public String sourceId;

    @Column(nullable = false)
    public String platform;

    @Column(name = "host_name")
    public String hostName;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public HostFailurePhase phase;

    @Column(name = "first_signal_at", nullable = false)
    public Instant firstSignalAt;

    /** The earliest evidence of this failure (a probe's reading may precede the suspicion it led to). */
    @Column(name = "first_evidence_at")
    public Instant firstEvidenceAt;

    @Column(name = "confirmed_at")
    public Instant confirmedAt;

    @Column(name = "fenced_at")
    public Instant fencedAt;

    @Column(name = "fenced_by")
    public String fencedBy;

    @Column(name = "recovering_at")
    public Instant recoveringAt;

    @Column(name = "closed_at")
    public Instant closedAt;

    @Column(nullable = false)
    public boolean partition;

    /** The host's failures came too often ({@code quarantine-after} within {@code quarantine-window}): fenced and
     *  left off, recovered only with an operator's approval. */
    public boolean quarantined;

    @Column(name = "fence_attempts", nullable = false)
    public int fenceAttempts;

    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;

    public String reason;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** When the evidence of this failure began: its first evidence, else its first signal (older episodes). */
    public Instant firstEvidence() {
        return firstEvidenceAt != null && firstEvidenceAt.isBefore(firstSignalAt) ? firstEvidenceAt : firstSignalAt;
    }

    public boolean open() {
        return closedAt == null;
    }

    public boolean fenced() {
        return fencedAt != null;
    }

    public static Optional<HostFailure> openFor(String hostKey) {
        return find("hostKey = ?1 and closedAt is null", hostKey).firstResultOptional();
    }

    public static List<HostFailure> openOfSource(String sourceId) {
        return list("sourceId = ?1 and closedAt is null", sourceId);
    }
}
