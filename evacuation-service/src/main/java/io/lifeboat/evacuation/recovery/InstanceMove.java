package io.lifeboat.evacuation.recovery;

import io.lifeboat.common.recovery.MoveState;
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
 * One instance's move in a run (Masakari's vmoves). A move is marked ONGOING, with its attempt counted, in a committed
 * transaction <em>before</em> the cloud is called: after a crash an ONGOING move is checked, never called blindly.
 */
@Entity
@Table(name = "instance_move")
public class InstanceMove extends PanacheEntityBase {

    /** What the move does. */
    public static final String EVACUATE = "evacuate";
    public static final String START = "start";
    public static final String MIGRATE = "migrate";
    public static final String NONE = "none";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "run_id", nullable = false)
    public UUID runId;

    @Column(name = "vm_key", nullable = false)
    public String vmKey;

    @Column(name = "vm_id", nullable = false)
    public String vmId;

    @Column(name = "vm_name", nullable = false)
    public String vmName;

    @Column(nullable = false)
    public String action;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public MoveState state;

    /** Position in the run's order (priority first). */
    @Column(nullable = false)
    public int ordinal;

    @Column(nullable = false)
    public int priority;

    @Column(nullable = false)
    public int attempt;

    /** Nova vm_state or oVirt status when the run was planned. */
    @Column(name = "original_state")
    public String originalState;

    /** Reset to {@code error} first: evacuate refuses the instance's state (as Masakari does). */
    @Column(name = "reset_first", nullable = false)
    public boolean resetFirst;

    /** Stop it again afterwards: it was stopped before the failure. */
    @Column(name = "stop_after", nullable = false)
    public boolean stopAfter;

    /** Start it afterwards: from compute 2.95 an evacuated instance ends stopped (wire-formats.md A.1). */
    @Column(name = "start_after", nullable = false)
    public boolean startAfter;

    @Column(name = "requested_target")
    public String requestedTarget;

    @Column(name = "target_host")
    public String targetHost;

    /** Not before this time (oVirt HA VMs are left to the engine's own restart first). */
    @Column(name = "not_before")
    public Instant notBefore;

    /** Tries that did not take effect (no answer, or failed before the call): bounded by {@code max-call-retries}. */
    @Column(name = "call_retries", nullable = false)
    public int callRetries;

    public String reason;

    @Column(name = "called_at")
    public Instant calledAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    public static List<InstanceMove> ofRun(UUID runId) {
        return list("runId = ?1 order by ordinal", runId);
    }

    /** How many of a run's moves are in each state, counted by the database (a run's moves are not loaded). */
    public static Tally tally(UUID runId) {
        java.util.Map<MoveState, Long> byState = new java.util.EnumMap<>(MoveState.class);
        java.util.Set<String> actions = new java.util.HashSet<>();
        for (Object[] row : getEntityManager().createQuery("select m.state, m.action, count(m) from InstanceMove m"
                + " where m.runId = :run group by m.state, m.action", Object[].class).setParameter("run", runId)
                .getResultList()) {
            byState.merge((MoveState) row[0], (Long) row[2], Long::sum);
            actions.add((String) row[1]);
        }
        return new Tally(byState, actions.contains(START) ? "started" : actions.contains(MIGRATE) ? "migrated"
                : "moved");
    }

    /** A run's moves counted by state, and the verb of their kind ("moved", "started", "migrated"). */
    public record Tally(java.util.Map<MoveState, Long> byState, String verb) {

        public long of(MoveState state) {
            return byState.getOrDefault(state, 0L);
        }

        public long total() {
            return byState.values().stream().mapToLong(Long::longValue).sum();
        }

        /** "7 of 10 moved, 0 failed, 3 skipped, 0 in flight, 0 waiting". */
        public String line() {
            return of(MoveState.SUCCEEDED) + " of " + total() + " " + verb + ", " + of(MoveState.FAILED) + " failed, "
                    + of(MoveState.SKIPPED) + " skipped, " + of(MoveState.ONGOING) + " in flight, "
                    + of(MoveState.PENDING) + " waiting";
        }
    }
}
