package io.lifeboat.evacuation.recovery;

import io.lifeboat.common.recovery.RecoveryStep;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One attempt of one step of a run: started, ended, with its outcome (DONE, FAILED, STOPPED) and a progress line
 * ("evacuated 37 of 120", the failure's reason). Shown in {@code GET /api/v1/runs/{id}}.
 */
@Entity
@Table(name = "recovery_step_attempt")
public class StepAttempt extends PanacheEntityBase {

    public enum Outcome { DONE, FAILED, STOPPED }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "run_id", nullable = false)
    public UUID runId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public RecoveryStep step;

    @Column(nullable = false)
    public int attempt;

    @Column(name = "started_at", nullable = false)
    public Instant startedAt;

    @Column(name = "ended_at")
    public Instant endedAt;

    @Enumerated(EnumType.STRING)
    public Outcome outcome;

    public String detail;

    /** A run's step attempts in order. */
    public static List<StepAttempt> ofRun(UUID runId) {
        return list("runId = ?1 order by id", runId);
    }

    /** The attempts of several runs, in order. */
    public static List<StepAttempt> ofRuns(List<UUID> runIds) {
        return runIds.isEmpty() ? List.of() : list("runId in ?1 order by id", runIds);
    }
}
