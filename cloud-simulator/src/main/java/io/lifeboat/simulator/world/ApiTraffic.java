package io.lifeboat.simulator.world;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the emulated APIs receive and how they misbehave: per-call counters (what tests and benchmarks compare, e.g.
 * the evacuate calls of a run) and the injected latency and errors, set through the control API.
 */
@ApplicationScoped
public class ApiTraffic {

    /**
     * Added latency for an API (ovirt, ovirt-sso, keystone, nova, cinder, glance, redfish, or * for all), optionally
     * of one source.
     */
    public record LatencyRule(String api, String source, long meanMs, long jitterMs) {
    }

    /**
     * Injected errors: a share of matching calls answered with {@code status} and {@code message} in the API's own
     * error format. {@code operation} matches the call name (e.g. {@code nova.serverAction}) or is null for all;
     * {@code remaining} limits how many are failed (null = unlimited).
     */
    public record ErrorRule(String api, String source, String operation, double rate, int status, String message,
                            Long remaining) {
    }

    private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
    private final List<LatencyRule> latency = new ArrayList<>();
    private final List<ErrorRule> errors = new ArrayList<>();
    private final Map<ErrorRule, AtomicLong> errorBudget = new ConcurrentHashMap<>();
    private final Random random = new Random();

    /** Counts a call, keyed {@code <source> <operation>}, e.g. {@code openstack-1 nova.action.evacuate}. */
    public void record(String source, String operation) {
        calls.computeIfAbsent((source == null ? "-" : source) + " " + operation, k -> new AtomicLong()).incrementAndGet();
    }

    public Map<String, Long> calls() {
        Map<String, Long> out = new TreeMap<>();
        calls.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    public void resetCalls() {
        calls.clear();
    }

    public synchronized void setLatency(List<LatencyRule> rules) {
        latency.clear();
        latency.addAll(rules);
    }

    public synchronized void setErrors(List<ErrorRule> rules) {
        errors.clear();
        errorBudget.clear();
        errors.addAll(rules);
        for (ErrorRule r : rules) {
            if (r.remaining() != null) {
                errorBudget.put(r, new AtomicLong(r.remaining()));
            }
        }
    }

    public synchronized Map<String, Object> faults() {
        return Map.of("latency", List.copyOf(latency), "errors", List.copyOf(errors));
    }

    public synchronized Duration latencyFor(String api, String source) {
        for (LatencyRule r : latency) {
            if (matches(r.api(), api) && (r.source() == null || r.source().equals(source))) {
                long jitter = r.jitterMs() <= 0 ? 0 : (long) ((random.nextDouble() * 2 - 1) * r.jitterMs());
                return Duration.ofMillis(Math.max(0, r.meanMs() + jitter));
            }
        }
        return Duration.ZERO;
    }

    /** The error to inject for this call, if a rule fires. */
    public synchronized Optional<ErrorRule> errorFor(String api, String source, String operation) {
        for (ErrorRule r : errors) {
            if (!matches(r.api(), api) || (r.source() != null && !r.source().equals(source))
                    || (r.operation() != null && !r.operation().equals(operation))) {
                continue;
            }
            if (random.nextDouble() >= r.rate()) {
                continue;
            }
            AtomicLong budget = errorBudget.get(r);
            if (budget != null && budget.getAndDecrement() <= 0) {
                continue;
            }
            return Optional.of(r);
        }
        return Optional.empty();
    }

    private static boolean matches(String rule, String api) {
        return rule == null || "*".equals(rule) || rule.equals(api);
    }
}
