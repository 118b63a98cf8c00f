package io.lifeboat.evacuation.detection;

import io.lifeboat.evacuation.view.HostView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every host's current readings, one per probe (in memory: each replica probes for itself), and the log of their
 * changes in {@code host_evidence}, which an episode shows as its evidence. Also remembers when each host was last
 * seen clear, so that a host still dead from a closed episode does not open another one at every probe.
 */
@ApplicationScoped
public class HostEvidence {

    /** The most changes an episode shows. */
    public static final int HISTORY_LIMIT = 100;

    @Inject
    EntityManager em;

    private final Map<String, Map<Evidence.Kind, Evidence>> readings = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastClear = new ConcurrentHashMap<>();
    private final Map<String, String> lastPlatform = new ConcurrentHashMap<>();

    /** Records a probe's reading; a changed one is written to the log. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Evidence record(String hostKey, Evidence.Kind kind, Evidence.Reading reading, String detail, Instant now) {
        Map<Evidence.Kind, Evidence> host = readings.computeIfAbsent(hostKey,
                k -> java.util.Collections.synchronizedMap(new EnumMap<>(Evidence.Kind.class)));
        Evidence before = host.get(kind);
        Evidence after = before == null ? new Evidence(kind, reading, detail, now, now)
                : before.next(reading, detail, now);
        host.put(kind, after);
        if (before == null || before.reading() != reading) {
            log(hostKey, kind, reading, detail, now);
        }
        return after;
    }

    /** The platform's status as the collector reported it: logged when it changes. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void platform(HostView host) {
        String status = host.status + " (" + host.platformStatus + ")";
        if (!status.equals(lastPlatform.put(host.hostKey, status))) {
            log(host.hostKey, Evidence.Kind.PLATFORM, host.status.isFailureSignal() ? Evidence.Reading.DOWN
                    : Evidence.Reading.UP, "platform reports " + host.platformStatus, host.observedAt);
        }
    }

    private void log(String hostKey, Evidence.Kind kind, Evidence.Reading reading, String detail, Instant at) {
        em.createNativeQuery("insert into host_evidence (host_key, kind, reading, detail, at) values (?1, ?2, ?3, ?4,"
                        + " ?5)").setParameter(1, hostKey).setParameter(2, kind.name()).setParameter(3, reading.name())
                .setParameter(4, detail.length() > 1000 ? detail.substring(0, 999) + "…" : detail)
                .setParameter(5, Timestamp.from(at)).executeUpdate();
    }

    /** The probes' current readings of the host (empty when it is not probed). */
    public Collection<Evidence> probes(String hostKey) {
        Map<Evidence.Kind, Evidence> host = readings.get(hostKey);
        if (host == null) {
            return List.of();
        }
        synchronized (host) {
            return List.copyOf(host.values());
        }
    }

    /** The platform's view and the probes' readings, combined. */
    public HostVerdict verdict(HostView host) {
        HostVerdict v = HostVerdict.of(host.status.isFailureSignal(), host.platformStatus, host.observedAt,
                probes(host.hostKey));
        if (v.clear() && !probes(host.hostKey).isEmpty()) {
            lastClear.put(host.hostKey, Instant.now());
        }
        return v;
    }

    /** When this replica last saw the host's probes clear (null: never). */
    public Instant lastClear(String hostKey) {
        return lastClear.get(hostKey);
    }

    /** The changes of the host's readings from {@code from} to {@code to} (null: now), oldest first. */
    @SuppressWarnings("unchecked")
    @Transactional
    public List<Map<String, Object>> history(String hostKey, Instant from, Instant to) {
        List<Object[]> rows = em.createNativeQuery("select kind, reading, detail, at from host_evidence where host_key"
                        + " = ?1 and at >= ?2 and at <= ?3 order by at, id limit " + HISTORY_LIMIT)
                .setParameter(1, hostKey).setParameter(2, Timestamp.from(from))
                .setParameter(3, Timestamp.from(to == null ? Instant.now() : to)).getResultList();
        return rows.stream().map(r -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("source", ((String) r[0]).toLowerCase(java.util.Locale.ROOT));
            m.put("reading", r[1]);
            m.put("detail", r[2]);
            m.put("at", r[3] instanceof Timestamp t ? t.toInstant()
                    : r[3] instanceof java.time.OffsetDateTime o ? o.toInstant() : r[3]);
            return m;
        }).toList();
    }
}
