package io.lifeboat.mapping.lineage;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;

import java.time.Instant;

/**
 * The columns every history table shares: which source saw it, the stretch of time {@code [validFrom, validTo)}
 * ({@code validTo} null while open), when it was last confirmed and the event that opened it.
 */
@MappedSuperclass
public abstract class Interval extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "source_id", nullable = false)
    public String sourceId;

    @Column(name = "valid_from", nullable = false)
    public Instant validFrom;

    @Column(name = "valid_to")
    public Instant validTo;

    @Column(name = "last_seen_at", nullable = false)
    public Instant lastSeenAt;

    @Column(name = "event_id", nullable = false)
    public String eventId;

    /** Closes the interval at {@code at}, or at its start if {@code at} is earlier (a late tombstone never inverts it). */
    void closeAt(Instant at) {
        validTo = at.isBefore(validFrom) ? validFrom : at;
    }
}
