package io.lifeboat.service.events;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * A row of the {@code processed_event} table every service keeps in its own schema (see {@link Inbox}). Mapped so
 * that Hibernate's schema validation checks each service's migration created it.
 */
@Entity
@Table(name = "processed_event")
public class ProcessedEvent {

    @Id
    @Column(name = "event_id", length = 128)
    public String eventId;

    @Column(name = "event_type", nullable = false, length = 128)
    public String eventType;

    @Column(name = "processed_at", nullable = false)
    public Instant processedAt;
}
