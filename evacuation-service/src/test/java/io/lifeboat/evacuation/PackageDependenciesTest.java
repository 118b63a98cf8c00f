package io.lifeboat.evacuation;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packages of the service depend on each other in one direction, with no cycle: a failure enters through
 * {@code ingest} and {@code inventory}, is decided in {@code failure}, recovered in {@code recovery} (which tells the
 * episode what its run did through {@code recovery.EpisodeTransitions}, implemented by the failure lifecycle), the
 * operator's actions on both are in {@code operator}, and the clouds are reached through
 * {@code fencing} and {@code platform}, which know nothing above them; {@code rest} sits above all, and {@code audit},
 * {@code config}, {@code view} (what the inventory last said) and {@code episode} (a failure's record) below all, with {@code arming} (a source's armed switch) just above them;
 * {@code detection} probes the hosts and hands its verdicts up to {@code failure} as events. Read from the sources (imports and fully qualified names), so that a new upward
 * dependency fails the build.
 */
class PackageDependenciesTest {

    private static final Pattern REFERENCE = Pattern.compile("io\\.lifeboat\\.evacuation\\.([a-z]+)\\.");

    /** What each package may use. */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("rest", Set.of("arming", "audit", "config", "detection", "episode", "failure", "forecast",
                    "operator", "recovery", "inventory", "platform", "view")),
            Map.entry("operator", Set.of("audit", "config", "episode", "failure", "platform", "recovery", "view")),
            Map.entry("forecast", Set.of("audit", "config", "platform", "recovery", "view")),
            Map.entry("ingest", Set.of("inventory", "view")),
            Map.entry("inventory", Set.of("failure", "recovery", "view")),
            Map.entry("failure", Set.of("arming", "audit", "config", "detection", "episode", "fencing", "platform",
                    "recovery", "view")),
            Map.entry("detection", Set.of("config", "fencing", "platform", "view")),
            Map.entry("recovery", Set.of("arming", "audit", "config", "episode", "platform", "view")),
            Map.entry("arming", Set.of("audit", "config")),
            Map.entry("fencing", Set.of("config", "platform")),
            Map.entry("platform", Set.of("config")),
            Map.entry("episode", Set.of()),
            Map.entry("view", Set.of()),
            Map.entry("audit", Set.of()),
            Map.entry("config", Set.of()));

    @Test
    void packagesDependOnlyDownwards() throws IOException {
        Map<String, Set<String>> uses = dependencies();
        assertThat(uses.keySet()).as("every package has its rule").isSubsetOf(ALLOWED.keySet());
        uses.forEach((pkg, used) -> assertThat(used).as("what " + pkg + " uses").isSubsetOf(ALLOWED.get(pkg)));
        Set<String> cycles = new TreeSet<>();
        uses.forEach((a, used) -> used.forEach(b -> {
            if (uses.getOrDefault(b, Set.of()).contains(a) && a.compareTo(b) < 0) {
                cycles.add(a + " <-> " + b);
            }
        }));
        assertThat(cycles).as("no two packages use each other").isEmpty();
        // nothing uses what is above it
        uses.forEach((pkg, used) -> assertThat(used).as(pkg).doesNotContain("rest", "ingest"));
    }

    private static Map<String, Set<String>> dependencies() throws IOException {
        Path root = Path.of("src/main/java/io/lifeboat/evacuation");
        Map<String, Set<String>> uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
                Path rel = root.relativize(f);
                if (rel.getNameCount() < 2) {
                    return;   // a class in the service's root package
                }
                String pkg = rel.getName(0).toString();
                Set<String> used = uses.computeIfAbsent(pkg, k -> new TreeSet<>());
                try {
                    Matcher m = REFERENCE.matcher(Files.readString(f));
                    while (m.find()) {
                        if (!m.group(1).equals(pkg)) {
                            used.add(m.group(1));
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return uses;
    }
}
