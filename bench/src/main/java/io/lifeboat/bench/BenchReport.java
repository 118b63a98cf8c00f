package io.lifeboat.bench;

import io.lifeboat.common.json.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every benchmark prints: a readable table, then one line {@code BENCH_JSON {...}} with the figures and the
 * machine they were measured on, for the README's performance section and for comparing runs.
 */
public final class BenchReport {

    private final String benchmark;
    private final Map<String, Object> parameters = new LinkedHashMap<>();
    private final Map<String, Object> figures = new LinkedHashMap<>();
    private final List<String[]> rows = new java.util.ArrayList<>();

    public BenchReport(String benchmark) {
        this.benchmark = benchmark;
    }

    public BenchReport parameter(String name, Object value) {
        parameters.put(name, value);
        return this;
    }

    /** A figure: shown as a table row and kept in the JSON line under {@code key}. */
    public BenchReport figure(String key, String label, double value, String unit) {
        figures.put(key, Math.round(value * 100) / 100.0);
        rows.add(new String[] {label, format(value), unit});
        return this;
    }

    public void print() {
        System.out.println();
        System.out.println("Benchmark: " + benchmark + "   " + parameters);
        System.out.println("Machine:   " + machine());
        int w = rows.stream().mapToInt(r -> r[0].length()).max().orElse(10);
        for (String[] r : rows) {
            System.out.printf("  %-" + w + "s  %14s  %s%n", r[0], r[1], r[2]);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", benchmark);
        json.put("at", Instant.now().toString());
        json.put("parameters", parameters);
        json.put("figures", figures);
        json.put("machine", machine());
        try {
            System.out.println("BENCH_JSON " + Json.mapper().writeValueAsString(json));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String format(double v) {
        return v >= 100 || v == Math.rint(v) ? String.format("%,.0f", v) : String.format("%,.2f", v);
    }

    public static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpu", firstValue("/proc/cpuinfo", "model name"));
        m.put("cores", Runtime.getRuntime().availableProcessors());
        String mem = firstValue("/proc/meminfo", "MemTotal");
        m.put("memoryGiB", mem == null ? null
                : Math.round(Long.parseLong(mem.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0 * 10) / 10.0);
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        return m;
    }

    private static String firstValue(String file, String key) {
        try {
            return Files.readAllLines(Path.of(file)).stream()
                    .filter(l -> l.startsWith(key))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip())
                    .findFirst().orElse(null);
        } catch (IOException e) {
            return null;
        }
    }
}
