package io.lifeboat.service.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecureDefaultsTest {

    private static List<String> problems(List<String> profiles, Map<String, String> config) {
        List<String> users = config.keySet().stream().filter(k -> k.startsWith(SecureDefaults.USERS))
                .map(k -> k.substring(SecureDefaults.USERS.length())).sorted().toList();
        return SecureDefaults.problems(profiles, users, k -> Optional.ofNullable(config.get(k)));
    }

    @Test
    void productionWithTheLocalStacksDatabasePasswordIsRefusedNamingTheVariable() {
        List<String> p = problems(List.of("prod"), Map.of("quarkus.datasource.password", "lifeboat",
                "quarkus.oidc.tenant-enabled", "true"));
        assertThat(p).singleElement().asString().contains("LIFEBOAT_DB_PASSWORD").contains("'lifeboat'");
    }

    @Test
    void productionWithOidcAndAStrongDatabasePasswordStarts() {
        assertThat(problems(List.of("prod"), Map.of("quarkus.datasource.password", "s3cret-from-vault",
                "quarkus.oidc.tenant-enabled", "true"))).isEmpty();
    }

    @Test
    void builtInUsersInProductionNeedStrongPasswordsEachNamed() {
        Map<String, String> c = new HashMap<>(Map.of("quarkus.datasource.password", "s3cret-from-vault"));
        c.put(SecureDefaults.USERS + "viewer", "viewer");
        c.put(SecureDefaults.USERS + "operator", "short");
        c.put(SecureDefaults.USERS + "agent", "a-long-agent-password");
        List<String> p = problems(List.of("prod", "builtin-users"), c);
        assertThat(p).hasSize(2);
        assertThat(p.get(0)).contains("'operator'").contains("LIFEBOAT_OPERATOR_PASSWORD or"
                + " LIFEBOAT_OPERATOR_PASSWORD_FILE");
        assertThat(p.get(1)).contains("'viewer'").contains("LIFEBOAT_VIEWER_PASSWORD");
    }

    @Test
    void aUsersOwnNameIsWeakWhateverItsLength() {
        Map<String, String> c = new HashMap<>(Map.of("quarkus.datasource.password", "s3cret-from-vault"));
        c.put(SecureDefaults.USERS + "break-glass-admin", "Break-Glass-Admin");
        assertThat(problems(List.of("prod", "builtin-users"), c)).singleElement().asString()
                .contains("LIFEBOAT_BREAK_GLASS_ADMIN_PASSWORD");
    }

    @Test
    void productionWithNoWayToSignInIsRefused() {
        assertThat(problems(List.of("prod"), Map.of("quarkus.datasource.password", "s3cret-from-vault")))
                .singleElement().asString().contains("LIFEBOAT_OIDC_ENABLED=true").contains("builtin-users");
    }

    @Test
    void theLocalStackAndTheTestsKeepTheirEasyDefaults() {
        Map<String, String> c = new HashMap<>(Map.of("quarkus.datasource.password", "lifeboat"));
        c.put(SecureDefaults.USERS + "viewer", "viewer");
        assertThat(problems(List.of("local"), c)).isEmpty();
        assertThat(problems(List.of("test"), c)).isEmpty();
        assertThat(problems(List.of("prod"), c)).hasSize(2);
    }

    @Test
    void aMountedSecretFileGivesTheVariableWithoutItsLineBreak(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("password");
        Files.writeString(file, "from-the-secret\n");
        FileSecretsConfigSource source = new FileSecretsConfigSource(Map.of("LIFEBOAT_DB_PASSWORD_FILE",
                file.toString(), "HOME", "/root", "LIFEBOAT_FILE", "x"));
        assertThat(source.getPropertyNames()).containsExactly("LIFEBOAT_DB_PASSWORD");
        assertThat(source.getValue("LIFEBOAT_DB_PASSWORD")).isEqualTo("from-the-secret");
        assertThat(source.getValue("LIFEBOAT_VIEWER_PASSWORD")).isNull();
        assertThat(source.getValue("HOME")).isNull();
    }

    @Test
    void anUnreadableSecretFileIsAnErrorNamingTheVariable(@TempDir Path dir) {
        FileSecretsConfigSource source = new FileSecretsConfigSource(Map.of("LIFEBOAT_DB_PASSWORD_FILE",
                dir.resolve("absent").toString()));
        assertThatThrownBy(() -> source.getValue("LIFEBOAT_DB_PASSWORD"))
                .hasMessageContaining("LIFEBOAT_DB_PASSWORD_FILE names").hasMessageContaining("absent");
    }
}
