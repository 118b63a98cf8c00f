package io.lifeboat.mapping.lineage;

import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.inventory.HostState;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Keeps each host's states as time intervals, so "what was host X like at time T" has an answer after the cloud has
 * forgotten. Applying the same event twice, or replaying a topic from the beginning, yields the same rows.
 */
@ApplicationScoped
public class HostHistory {

    private static final Logger LOG = Logger.getLogger(HostHistory.class);

    @Inject
    MeterRegistry metrics;

    @Inject
    EntityManager em;

    public enum Outcome { OPENED, EXTENDED, CHANGED, STALE }

    /** A host state, from the event {@code eventId}; inside the caller's transaction (one batch). */
    @Transactional(Transactional.TxType.MANDATORY)
    public Outcome apply(HostState state, String eventId) {
        HostState s = Times.micros(state);
        Optional<HostInterval> open = openInterval(s.host());
        if (open.isEmpty()) {
            insert(s, eventId);
            return count(Outcome.OPENED);
        }
        HostInterval current = open.get();
        if (s.observedAt().isBefore(current.validFrom)) {
            // Older than what we hold: a late or replayed observation; history already moved past it.
            LOG.debugf("stale state of %s observed %s, current since %s", s.host(), s.observedAt(), current.validFrom);
            return count(Outcome.STALE);
        }
        if (sameState(current, s)) {
            if (s.observedAt().isAfter(current.lastSeenAt)) {
                current.lastSeenAt = s.observedAt();
            }
            return count(Outcome.EXTENDED);
        }
        current.validTo = s.observedAt();
        current.flush();
        insert(s, eventId);
        return count(Outcome.CHANGED);
    }

    /** A tombstone on the compacted hosts topic: the host left the inventory at {@code at}. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean hostRemoved(HostKey host, Instant when) {
        Instant at = Times.micros(when);
        Optional<HostInterval> open = openInterval(host);
        open.ifPresent(i -> i.closeAt(at));
        return open.isPresent();
    }

    /** Every host's interval that contains {@code t}, optionally of one source. */
    public List<HostInterval> asOf(Instant t, String sourceId) {
        String q = "validFrom <= ?1 and (validTo is null or validTo > ?1)";
        return sourceId == null
                ? HostInterval.list(q + " order by hostName", t)
                : HostInterval.list(q + " and sourceId = ?2 order by hostName", t, sourceId);
    }

    /**
     * Whether Lifeboat ever saw this host: in a source's host inventory, or as the host of a VM (a hypervisor that only
     * Nova's servers name). A host it never saw is a 404, never an empty answer an operator could take for "nothing".
     */
    public boolean known(HostKey host) {
        return HostInterval.find("hostKey", host.toString()).page(0, 1).firstResultOptional().isPresent()
                || VmInterval.find("hostKey", host.toString()).page(0, 1).firstResultOptional().isPresent();
    }

    /**
     * A host's intervals after {@code after} (null: from the newest), newest first (start, then id, descending), at
     * most {@code limit}: a keyset read down {@code host_interval_host_time}.
     */
    public List<HostInterval> history(HostKey host, IntervalKey after, int limit) {
        TypedQuery<HostInterval> q = em.createQuery("from HostInterval where hostKey = ?1"
                + (after == null ? "" : " and validFrom <= ?2 and (validFrom < ?2 or id < ?3)")
                + " order by validFrom desc, id desc", HostInterval.class).setParameter(1, host.toString());
        if (after != null) {
            q.setParameter(2, after.validFrom()).setParameter(3, after.id());
        }
        return q.setMaxResults(limit).getResultList();
    }

    /** Whether the host has any interval of its own (not only as the host of a VM). */
    public boolean hasHistory(HostKey host) {
        return !em.createQuery("select id from HostInterval where hostKey = ?1", Long.class)
                .setParameter(1, host.toString()).setMaxResults(1).getResultList().isEmpty();
    }

    private Optional<HostInterval> openInterval(HostKey host) {
        return HostInterval.find("hostKey = ?1 and validTo is null", host.toString())
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResultOptional();
    }

    private static boolean sameState(HostInterval i, HostState s) {
        return i.hostName.equals(s.name())
                && Objects.equals(i.clusterId, s.cluster() == null ? null : s.cluster().id())
                && Objects.equals(i.clusterName, s.cluster() == null ? null : s.cluster().name())
                && i.status.equals(s.status().name())
                && i.platformStatus.equals(s.platformStatus());
    }

    private static void insert(HostState s, String eventId) {
        HostInterval i = new HostInterval();
        i.hostKey = s.host().toString();
        i.sourceId = s.host().source().value();
        i.hostName = s.name();
        i.clusterId = s.cluster() == null ? null : s.cluster().id();
        i.clusterName = s.cluster() == null ? null : s.cluster().name();
        i.status = s.status().name();
        i.platformStatus = s.platformStatus();
        i.validFrom = s.observedAt();
        i.lastSeenAt = s.observedAt();
        i.eventId = eventId;
        i.persist();
    }

    private Outcome count(Outcome o) {
        metrics.counter("lifeboat.mapping.host.observations", "outcome", o.name().toLowerCase()).increment();
        return o;
    }
}
