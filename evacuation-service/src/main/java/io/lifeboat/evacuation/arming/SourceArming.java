package io.lifeboat.evacuation.arming;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** The last arm or disarm of a source, by whom and why. A source without a row is armed. */
@Entity
@Table(name = "source_arming")
public class SourceArming extends PanacheEntityBase {

    @Id
    @Column(name = "source_id")
    public String sourceId;

    @Column(nullable = false)
    public boolean armed;

    @Column(name = "changed_at", nullable = false)
    public Instant changedAt;

    @Column(name = "changed_by", nullable = false)
    public String changedBy;

    public String reason;
}
