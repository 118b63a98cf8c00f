package io.lifeboat.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Each service's packaged jar, started as on a cluster (the default profile prod) with a credential missing, refuses
 * to start and names the variable to set, before it connects to anything (no database or broker exists here).
 */
class ProductionStartTest {

    record Start(int exit, String log) {
    }

    static Start start(String service, Map<String, String> env) throws Exception {
        Path jar = Deploy.project().resolve(service + "/target/quarkus-app/quarkus-run.jar");
        assertThat(jar).as("build " + service + " first (mvn verify from the root builds it before this module)")
                .isRegularFile();
        String java = ProcessHandle.current().info().command().orElse("java");
        Tools.Result r = Tools.run(Deploy.project(), 90, e -> {
            // Nothing of the caller's Lifeboat or Quarkus settings: only what the test gives.
            e.keySet().removeIf(k -> k.startsWith("LIFEBOAT_") || k.startsWith("QUARKUS_"));
            e.putAll(env);
        }, java, "-Xmx256m", "-XX:+UseSerialGC", "-jar", jar.toString());
        return new Start(r.exit(), r.output());
    }

    @Test
    void everyServiceRefusesToStartWithoutADatabasePasswordNamingTheVariable() throws Exception {
        List<String> failures = new ArrayList<>();
        for (String service : ManifestsTest.SERVICES) {
            Start s = start(service, Map.of("LIFEBOAT_DB_URL", "jdbc:postgresql://127.0.0.1:1/none"));
            if (s.exit() == 0 || !s.log().contains("refusing to start with the profile prod: the database password"
                    + " is not set: set LIFEBOAT_DB_PASSWORD, or LIFEBOAT_DB_PASSWORD_FILE")) {
                failures.add(service + " (exit " + s.exit() + "):\n" + s.log());
            }
            assertThat(s.log()).as(service + " tried no connection").doesNotContain("Connection to 127.0.0.1:1");
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void theLocalStacksDatabasePasswordIsRefusedInProduction() throws Exception {
        Start s = start("mapping-service", Map.of("LIFEBOAT_DB_PASSWORD", "lifeboat",
                "LIFEBOAT_DB_URL", "jdbc:postgresql://127.0.0.1:1/none"));
        assertThat(s.exit()).isNotZero();
        assertThat(s.log()).contains("the database password is the local stack's well-known 'lifeboat': set"
                + " LIFEBOAT_DB_PASSWORD or LIFEBOAT_DB_PASSWORD_FILE");
    }

    @Test
    void builtInUsersWithoutTheirPasswordsAreRefusedNamingTheVariable(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path secret = dir.resolve("password");
        Files.writeString(secret, "a-strong-database-password\n");
        Start s = start("watchdog-service", Map.of("QUARKUS_PROFILE", "prod,builtin-users",
                "LIFEBOAT_DB_PASSWORD_FILE", secret.toString(), "LIFEBOAT_DB_URL", "jdbc:postgresql://127.0.0.1:1/n"));
        assertThat(s.exit()).isNotZero();
        assertThat(s.log()).containsPattern("Could not expand value LIFEBOAT_(VIEWER|OPERATOR|AGENT)_PASSWORD");
    }

    /**
     * The watchdog's built-in agent also needs the hypervisors it may post for; with them and strong passwords the
     * configuration is accepted and the start goes on to the database (which does not exist here).
     */
    @Test
    void theBuiltInAgentNeedsItsHypervisorsAndThenTheConfigurationIsAccepted(
            @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path secret = dir.resolve("password");
        Files.writeString(secret, "a-strong-database-password\n");
        Map<String, String> env = new java.util.HashMap<>(Map.of("QUARKUS_PROFILE", "prod,builtin-users",
                "LIFEBOAT_DB_PASSWORD_FILE", secret.toString(), "LIFEBOAT_DB_URL", "jdbc:postgresql://127.0.0.1:1/n",
                "LIFEBOAT_VIEWER_PASSWORD", "a-long-viewer-password", "LIFEBOAT_OPERATOR_PASSWORD",
                "a-long-operator-password", "LIFEBOAT_AGENT_PASSWORD", "a-long-agent-password"));
        Start without = start("watchdog-service", env);
        assertThat(without.exit()).isNotZero();
        assertThat(without.log()).contains("Could not expand value LIFEBOAT_AGENT_HYPERVISORS");
        env.put("LIFEBOAT_AGENT_HYPERVISORS", "cmp1-a01,cmp1-a02");
        Start with = start("watchdog-service", env);
        assertThat(with.exit()).isNotZero();
        assertThat(with.log()).doesNotContain("SRCFG").doesNotContain("refusing to start")
                .contains("Connection to 127.0.0.1:1");
    }
}
