package io.lifeboat.evacuation.recovery;

import io.lifeboat.common.recovery.MoveState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.hibernate.Session;

import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;

/**
 * A run's planned moves written in one statement ({@code insert ... select from unnest}), whatever their number: a
 * host with 200 instances is one round trip, not 200, before its first evacuate call.
 */
@ApplicationScoped
class MoveRows {

    private static final String INSERT = """
            insert into instance_move (run_id, vm_key, vm_id, vm_name, action, state, ordinal, priority, attempt,
                original_state, reset_first, stop_after, start_after, requested_target, not_before, call_retries,
                reason, finished_at)
            select ?::uuid, vk, vi, vn, ac, st, o::int, pr::int, 0, os, rf::boolean, sa::boolean, st2::boolean, rt,
                nb::timestamptz, 0, re, fa::timestamptz
              from unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[],
                ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[],
                ?::varchar[], ?::varchar[]) as u(vk, vi, vn, ac, st, o, pr, os, rf, sa, st2, rt, nb, re, fa)""";

    @Inject
    EntityManager em;

    /** Inserts the moves numbered from {@code firstOrdinal}; a SKIPPED one is finished at {@code now}. */
    @Transactional(Transactional.TxType.MANDATORY)
    void insert(RecoveryRun run, List<PlannedMove> planned, int firstOrdinal, Instant now) {
        int n = planned.size();
        if (n == 0) {
            return;
        }
        String[][] cols = new String[15][n];
        for (int i = 0; i < n; i++) {
            PlannedMove p = planned.get(i);
            String[] row = {p.vmKey(), p.vmId(), p.vmName(), p.action(), p.state().name(),
                    Integer.toString(firstOrdinal + i), Integer.toString(p.priority()), p.originalState(),
                    Boolean.toString(p.resetFirst()), Boolean.toString(p.stopAfter()),
                    Boolean.toString(p.startAfter()), p.requestedTarget(),
                    p.notBefore() == null ? null : p.notBefore().toString(), p.reason(),
                    p.state() == MoveState.SKIPPED ? now.toString() : null};
            for (int c = 0; c < row.length; c++) {
                cols[c][i] = row[c];
            }
        }
        em.flush();   // the run itself, when it was created in this transaction, goes first (the foreign key)
        em.unwrap(Session.class).doWork(c -> {
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                ps.setString(1, run.id.toString());
                for (int col = 0; col < cols.length; col++) {
                    ps.setArray(col + 2, c.createArrayOf("varchar", cols[col]));
                }
                ps.executeUpdate();
            }
        });
    }
}
