package io.lifeboat.evacuation.audit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;

/** The audit trail: every fence, force-down, evacuation, start and operator action, dry runs included. */
@ApplicationScoped
public class AuditLog {

    /** Records in the caller's transaction (so the entry commits with the change), or in a new one. */
    @Transactional(Transactional.TxType.REQUIRED)
    public void record(String actor, String action, String target, boolean dryRun, String result, String detail) {
        AuditEntry e = new AuditEntry();
        e.at = Instant.now();
        e.actor = actor;
        e.action = action;
        e.target = target;
        e.dryRun = dryRun;
        e.result = result;
        e.detail = detail == null || detail.length() <= 4000 ? detail : detail.substring(0, 4000);
        e.persist();
    }
}
