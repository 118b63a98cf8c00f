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
 * The packages of the service depend on each other in one direction: a failure enters through {@code ingest} and
 * {@code inventory}, is decided in {@code failure}, recovered in {@code recovery}, and the clouds are reached through
 * {@code platform} and {@code fencing}, which know nothing above them; {@code rest} sits above all, and {@code audit}
 * and {@code config} below all, with {@code arming} (a source's armed switch) just above them;
 * {@code detection} probes the hosts and hands its verdicts up to {@code failure} as events. Read from the sources (imports and fully qualified names), so that a new upward
 * dependency fails the build.
 */
class PackageDependenciesTest {

    private static final Pattern REFERENCE = Pattern.compile("io\\.lifeboat\\.evacuation\\.([a-z]+)\\.");

    /** What each package may use. */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("rest", Set.of("arming", "audit", "config", "detection", "failure", "forecast", "recovery",
                    "inventory", "platform")),
            Map.entry("forecast", Set.of("audit", "config", "inventory", "platform", "recovery")),
            Map.entry("ingest", Set.of("inventory")),
            Map.entry("inventory", Set.of("failure", "recovery")),
            Map.entry("failure", Set.of("arming", "audit", "config", "detection", "fencing", "inventory", "platform",
                    "recovery")),
            Map.entry("detection", Set.of("config", "fencing", "inventory", "platform")),
            Map.entry("recovery", Set.of("arming", "audit", "config", "failure", "inventory", "platform")),
            Map.entry("arming", Set.of("audit", "config")),
            Map.entry("platform", Set.of("config", "fencing")),
            Map.entry("fencing", Set.of("config", "platform")),
            Map.entry("audit", Set.of()),
            Map.entry("config", Set.of()));

    /**
     * The cycles left, to be removed (issue 12): the failure lifecycle starts and cancels runs while the runs read and
     * close their episode; the lifecycle reads the host views that feed it, and the runs the VM views (a VM paused on
     * a storage error starts a storage run from the inventory); platform builds the fencers, which call
     * the clouds through it (one layer). A new cycle fails this test, and so does removing one without saying so here.
     */
    private static final Set<String> KNOWN_CYCLES = Set.of("failure <-> inventory", "failure <-> recovery",
            "fencing <-> platform", "inventory <-> recovery");

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
        assertThat(cycles).isEqualTo(KNOWN_CYCLES);
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
