package io.lifeboat.mapping.lineage;

import io.lifeboat.common.id.StorageDomainKey;
import io.lifeboat.common.inventory.StorageDomainState;
import io.lifeboat.common.lun.LunWwid;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** The LUNs backing block storage domains, as intervals, so the unmap plan can keep them as of any time. */
@ApplicationScoped
public class StorageDomainHistory {

    /** A storage domain's state, from the event {@code eventId}; inside the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(StorageDomainState s, String eventId) {
        Instant t = Times.micros(s.observedAt());
        Map<String, StorageDomainLunInterval> open = new HashMap<>();
        StorageDomainLunInterval.<StorageDomainLunInterval>list("domainKey = ?1 and validTo is null",
                s.domain().toString()).forEach(i -> open.put(i.lunWwid, i));
        for (LunWwid w : s.luns()) {
            StorageDomainLunInterval current = open.remove(w.toString());
            if (current != null) {
                if (t.isAfter(current.lastSeenAt)) {
                    current.lastSeenAt = t;
                }
                continue;
            }
            StorageDomainLunInterval i = new StorageDomainLunInterval();
            i.domainKey = s.domain().toString();
            i.sourceId = s.domain().source().value();
            i.domainName = s.name();
            i.lunWwid = w.toString();
            i.validFrom = t;
            i.lastSeenAt = t;
            i.eventId = eventId;
            i.persist();
        }
        open.values().forEach(i -> i.closeAt(t));
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void removed(StorageDomainKey domain, Instant when) {
        Instant at = Times.micros(when);
        StorageDomainLunInterval.<StorageDomainLunInterval>list("domainKey = ?1 and validTo is null",
                domain.toString()).forEach(i -> i.closeAt(at));
    }
}
