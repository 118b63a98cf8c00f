package io.lifeboat.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The alerts: promtool checks rules.yaml and runs its unit tests (each alert fires on its series at its time, and
 * stays silent otherwise); the PrometheusRule carries exactly those groups; every alert has a runbook in
 * deploy/README.md; every metric an alert reads is one the services register (their sources name it).
 */
class AlertRulesTest {

    static final Path RULES = Deploy.dir().resolve("monitoring/rules.yaml");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static boolean promtool() throws Exception {
        boolean present = Tools.run(Deploy.dir(), 30, "sh", "-c", "command -v promtool").exit() == 0;
        if (!present && "1".equals(System.getenv("LIFEBOAT_REQUIRE_PROMTOOL"))) {
            throw new AssertionError("promtool is not installed (Debian's prometheus package; ./lifeboat test"
                    + " installs it as root)");
        }
        assumeTrue(present, "promtool is not installed (apt-get install prometheus): the rule tests are skipped");
        return true;
    }

    @Test
    void promtoolChecksTheRules() throws Exception {
        promtool();
        Tools.Result r = Tools.run(Deploy.dir().resolve("monitoring"), 60, "promtool", "check", "rules", "rules.yaml");
        assertThat(r.output()).contains("SUCCESS: " + alerts().size() + " rules found");
        assertThat(r.exit()).isZero();
    }

    @Test
    void promtoolUnitTestsPassForEveryAlert() throws Exception {
        promtool();
        Tools.Result r = Tools.run(Deploy.dir().resolve("monitoring"), 120, "promtool", "test", "rules",
                "tests/rules_test.yaml");
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS");
        String tests = Files.readString(Deploy.dir().resolve("monitoring/tests/rules_test.yaml"));
        for (String alert : alerts()) {
            assertThat(tests).as("a promtool test for " + alert).contains("alertname: " + alert + "\n");
        }
    }

    @Test
    void thePrometheusRuleCarriesExactlyTheTestedGroups() throws Exception {
        JsonNode rule = YAML.readTree(Deploy.dir().resolve("monitoring/prometheusrule.yaml").toFile());
        assertThat(rule.at("/spec/groups")).isEqualTo(YAML.readTree(RULES.toFile()).path("groups"));
    }

    @Test
    void everyAlertHasItsRunbook() throws Exception {
        String readme = Files.readString(Deploy.dir().resolve("README.md"));
        for (String alert : alerts()) {
            assertThat(readme).as("runbook of " + alert).contains("### " + alert + "\n");
        }
    }

    @Test
    void everyMetricAnAlertReadsIsRegisteredByAService() throws Exception {
        StringBuilder sources = new StringBuilder();
        try (var files = Files.walk(Deploy.project())) {
            for (Path p : files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/"))
                    .toList()) {
                sources.append(Files.readString(p));
            }
        }
        Pattern metric = Pattern.compile("\\b(lifeboat_[a-z_]+)");
        Set<String> read = new TreeSet<>();
        for (JsonNode g : YAML.readTree(RULES.toFile()).path("groups")) {
            for (JsonNode r : g.path("rules")) {
                Matcher m = metric.matcher(r.path("expr").asText());
                while (m.find()) {
                    read.add(m.group(1));
                }
            }
        }
        assertThat(read).hasSizeGreaterThan(10);
        for (String name : read) {
            assertThat(registered(name, sources.toString())).as(name + " is registered by no service").isTrue();
        }
    }

    /** Micrometer's Prometheus name back to the registered one: suffixes _total, _seconds, _count dropped. */
    static boolean registered(String prometheusName, String sources) {
        String base = prometheusName.replaceAll("_count$", "").replaceAll("_total$", "").replaceAll("_seconds$", "");
        return sources.contains("\"" + base.replace('_', '.') + "\"");
    }

    static List<String> alerts() throws Exception {
        List<String> names = new ArrayList<>();
        for (JsonNode g : YAML.readTree(RULES.toFile()).path("groups")) {
            for (JsonNode r : g.path("rules")) {
                names.add(r.path("alert").asText());
            }
        }
        return names;
    }
}
