package io.lifeboat.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The Grafana dashboards: one per concern, every panel with a query on the chosen Prometheus, every query valid PromQL
 * (promtool parses each as a recording rule), each dashboard in the monitoring kustomization. That every metric they
 * read is exported by the running services is checked against a running stack (fault-suite's LauncherTest).
 */
class DashboardsTest {

    static final Path DIR = Deploy.dir().resolve("monitoring/dashboards");

    static List<Path> dashboards() throws Exception {
        try (var files = Files.list(DIR)) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
    }

    @Test
    void onePerConcernEachPanelQueryingThePrometheusChosen() throws Exception {
        List<Path> files = dashboards();
        assertThat(files.stream().map(f -> f.getFileName().toString())).containsExactly(
                "failures-and-recoveries.json", "guest-incidents.json", "ingestion.json", "inventory.json");
        Set<String> uids = new HashSet<>();
        String kustomization = Files.readString(Deploy.dir().resolve("monitoring/kustomization.yaml"));
        for (Path f : files) {
            JsonNode d = new ObjectMapper().readTree(f.toFile());
            assertThat(uids.add(d.path("uid").asText())).as("unique uid " + f).isTrue();
            assertThat(kustomization).contains("dashboards/" + f.getFileName());
            assertThat(d.path("panels").size()).as(f.toString()).isGreaterThanOrEqualTo(4);
            Set<Integer> ids = new HashSet<>();
            for (JsonNode p : d.path("panels")) {
                assertThat(ids.add(p.path("id").asInt())).isTrue();
                assertThat(p.at("/datasource/uid").asText()).isEqualTo("${datasource}");
                assertThat(p.path("targets").size()).as(p.path("title").asText()).isPositive();
                for (JsonNode t : p.path("targets")) {
                    assertThat(t.path("expr").asText()).contains("namespace=\"$namespace\"").contains("lifeboat_");
                }
            }
        }
    }

    @Test
    void everyPanelQueryIsValidPromQl(@TempDir Path dir) throws Exception {
        AlertRulesTest.promtool();
        List<String> rules = new ArrayList<>();
        for (Path f : dashboards()) {
            for (JsonNode p : new ObjectMapper().readTree(f.toFile()).path("panels")) {
                for (JsonNode t : p.path("targets")) {
                    rules.add("      - record: panel_" + rules.size() + "\n        expr: '"
                            + t.path("expr").asText().replace("$namespace", "lifeboat").replace("'", "''") + "'\n");
                }
            }
        }
        Path file = dir.resolve("panels.yaml");
        Files.writeString(file, "groups:\n  - name: panels\n    rules:\n" + String.join("", rules));
        Tools.Result r = Tools.run(dir, 60, "promtool", "check", "rules", file.toString());
        assertThat(r.output()).as(r.output()).contains("SUCCESS: " + rules.size() + " rules found");
        assertThat(rules.size()).isGreaterThan(30);
    }
}
