package io.lifeboat.evacuation.forecast;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * The last published failover forecast of a host: which of its instances would not fit anywhere. A change is
 * published once, by the replica whose update of this row wins.
 */
@Entity
@Table(name = "failover_forecast")
public class FailoverForecast extends PanacheEntityBase {

    @Id
    @Column(name = "host_key")
    public String hostKey;

    @Column(name = "source_id", nullable = false)
    public String sourceId;

    @Column(name = "host_name", nullable = false)
    public String hostName;

    @Column(nullable = false)
    public int evacuable;

    /** The unplaceable instances' ids, sorted, comma-separated: what the last event said. */
    @Column(nullable = false)
    public String unplaceable;

    @Column(name = "computed_at", nullable = false)
    public Instant computedAt;
}
