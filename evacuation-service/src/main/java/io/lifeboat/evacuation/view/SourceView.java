package io.lifeboat.evacuation.view;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A source's host list as its collector last saw it complete: how many hosts it has. */
@Entity
@Table(name = "source_view")
public class SourceView extends PanacheEntityBase {

    @Id
    @Column(name = "source_id")
    public String sourceId;

    /** The hosts the collector's last cycle that did not fail listed. */
    @Column(nullable = false)
    public int hosts;

    @Column(name = "cycle_outcome", nullable = false)
    public String cycleOutcome;

    @Column(name = "cycle_finished_at", nullable = false)
    public Instant cycleFinishedAt;
}
