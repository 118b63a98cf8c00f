package io.lifeboat.evacuation.forecast;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A run's failover plan as predicted before its first move, and how it compared with the outcome. */
@Entity
@Table(name = "failover_prediction")
public class FailoverPrediction extends PanacheEntityBase {

    @Id
    @Column(name = "run_id")
    public UUID runId;

    @Column(name = "host_key", nullable = false)
    public String hostKey;

    /** The placements, as JSON. */
    @Column(nullable = false)
    public String predicted;

    /** The instances predicted not to fit: ids, sorted, comma-separated. */
    @Column(nullable = false)
    public String unplaceable;

    @Column(name = "computed_at", nullable = false)
    public Instant computedAt;

    /** The comparison with the run's outcome, once it ended: "as predicted", or each difference. */
    public String outcome;

    @Column(name = "compared_at")
    public Instant comparedAt;
}
