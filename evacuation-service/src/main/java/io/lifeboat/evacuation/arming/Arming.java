package io.lifeboat.evacuation.arming;

import io.lifeboat.evacuation.audit.AuditLog;
import io.lifeboat.evacuation.config.EvacuationConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each configured source's armed / disarmed switch. A disarmed source's failures are still tracked, confirmed and
 * shown, but none is fenced or recovered: each waits for an operator with the disarm in its reason. Arming and
 * disarming are operator actions with a dry run, audited; the state is in every episode, in
 * {@code GET /api/v1/sources} and in {@code lifeboat_evacuation_source_armed{source}}.
 */
@ApplicationScoped
public class Arming {

    @Inject
    EvacuationConfig config;

    @Inject
    AuditLog audit;

    @Inject
    MeterRegistry metrics;

    /** The gauge's values, per source (1 armed, 0 disarmed); refreshed on every change and read. */
    private final Map<String, Integer> gauges = new ConcurrentHashMap<>();

    /** A source's switch as the API shows it. */
    public record State(String source, String kind, boolean enabled, boolean armed, Instant changedAt,
                        String changedBy, String reason) {
    }

    void registerGauges(@Observes StartupEvent e) {
        for (String source : config.sources().keySet()) {
            gauges.put(source, 1);
            Gauge.builder("lifeboat.evacuation.source.armed", gauges, g -> g.getOrDefault(source, 1))
                    .tag("source", source).description("1 when the source's failures may be fenced and recovered")
                    .register(metrics);
        }
    }

    /** Whether failures of the source may be fenced and recovered. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public boolean armed(String source) {
        SourceArming a = SourceArming.findById(source);
        boolean armed = a == null || a.armed;
        gauges.computeIfPresent(source, (k, v) -> armed ? 1 : 0);
        return armed;
    }

    /** Why nothing is done for the source's failures: who disarmed it, when, and why. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public String disarmedBecause(String source) {
        SourceArming a = SourceArming.findById(source);
        return "source " + source + " is disarmed (by " + (a == null ? "?" : a.changedBy) + " at "
                + (a == null ? "?" : a.changedAt) + (a == null || a.reason == null ? "" : ": " + a.reason)
                + "): nothing is fenced or recovered until it is armed, or an operator approves";
    }

    @Transactional
    public List<State> all() {
        List<State> out = new ArrayList<>();
        config.sources().forEach((id, s) -> out.add(state(id, s)));
        out.sort(java.util.Comparator.comparing(State::source));
        return out;
    }

    @Transactional
    public State state(String source) {
        EvacuationConfig.Source s = config.sources().get(source);
        return s == null ? null : state(source, s);
    }

    private State state(String id, EvacuationConfig.Source s) {
        SourceArming a = SourceArming.findById(id);
        return new State(id, s.kind().name(), s.enabled(), a == null || a.armed, a == null ? null : a.changedAt,
                a == null ? null : a.changedBy, a == null ? null : a.reason);
    }

    /** Arms or disarms a configured source; a dry run changes nothing. Both are audited. */
    @Transactional
    public State set(String source, boolean armed, String actor, String reason, boolean dryRun) {
        State before = state(source);
        audit.record(actor, armed ? "arm" : "disarm", source, dryRun, dryRun ? (armed ? "WOULD_ARM" : "WOULD_DISARM")
                : (armed ? "ARMED" : "DISARMED"), reason);
        if (dryRun) {
            return before;
        }
        SourceArming a = SourceArming.findById(source);
        if (a == null) {
            a = new SourceArming();
            a.sourceId = source;
        }
        a.armed = armed;
        a.changedAt = Instant.now();
        a.changedBy = actor;
        a.reason = reason;
        a.persist();
        gauges.computeIfPresent(source, (k, v) -> armed ? 1 : 0);
        return state(source);
    }
}
