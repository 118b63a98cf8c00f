package io.lifeboat.service.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.StreamSupport;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;

/**
 * A service outside the local stack and the tests refuses to start with credentials anyone could guess, naming the
 * variable to set: built-in users with weak passwords, or no way to sign in at all. Checked first among the start-up
 * observers, before any consumer starts; the database password is checked earlier still, where it is read
 * ({@link DatabasePasswordCheck}), since Flyway connects before any observer runs.
 */
@Singleton
public class SecureDefaults {

    private static final Logger LOG = Logger.getLogger(SecureDefaults.class);

    /** Profiles in which the easy defaults are meant: the local stack, the tests, dev mode. */
    static final Set<String> EASY_PROFILES = Set.of("local", "test", "dev");
    static final String USERS = "quarkus.security.users.embedded.users.";
    static final int MIN_PASSWORD_LENGTH = 12;
    /** The local stack's database password, once every profile's fallback. */
    static final String LOCAL_DB_PASSWORD = "lifeboat";

    void check(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        Config config = ConfigProvider.getConfig();
        List<String> profiles = ConfigUtils.getProfiles();
        List<String> users = StreamSupport.stream(config.getPropertyNames().spliterator(), false)
                .filter(n -> n.startsWith(USERS)).map(n -> n.substring(USERS.length())).sorted().toList();
        List<String> problems = problems(profiles, users, n -> config.getOptionalValue(n, String.class));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("refusing to start with the profile " + String.join(",", profiles) + ": "
                    + String.join("; ", problems));
        }
        if (profiles.stream().anyMatch(EASY_PROFILES::contains) && !users.isEmpty()) {
            LOG.infof("built-in users %s with the easy passwords of the profile %s, unless set in the environment;"
                    + " not for production", users, String.join(",", profiles));
        }
    }

    /** What is wrong with this database password in these profiles, naming the variable to set; null if nothing. */
    static String databasePasswordProblem(Collection<String> profiles, String password) {
        if (profiles.stream().anyMatch(EASY_PROFILES::contains)) {
            return null;
        }
        if (password == null || password.isBlank()) {
            return "the database password is not set: set LIFEBOAT_DB_PASSWORD, or LIFEBOAT_DB_PASSWORD_FILE to the"
                    + " file of a mounted Secret";
        }
        if (password.equals(LOCAL_DB_PASSWORD)) {
            return "the database password is the local stack's well-known '" + LOCAL_DB_PASSWORD + "': set"
                    + " LIFEBOAT_DB_PASSWORD or LIFEBOAT_DB_PASSWORD_FILE to the production one";
        }
        return null;
    }

    /**
     * What is wrong with this configuration, one sentence per problem, each naming the variable to set; empty when the
     * start may go on. Pure: the profiles, the built-in user names and a lookup of the configuration.
     */
    static List<String> problems(Collection<String> profiles, Collection<String> users,
            Function<String, Optional<String>> config) {
        List<String> problems = new ArrayList<>();
        if (profiles.stream().anyMatch(EASY_PROFILES::contains)) {
            return problems;
        }
        String db = databasePasswordProblem(profiles, config.apply(DatabasePasswordCheck.PASSWORD).orElse(null));
        if (db != null) {
            problems.add(db);
        }
        for (String user : users) {
            String variable = "LIFEBOAT_" + user.toUpperCase(Locale.ROOT).replace('-', '_') + "_PASSWORD";
            String password = config.apply(USERS + user).orElse("");
            if (password.length() < MIN_PASSWORD_LENGTH || password.equalsIgnoreCase(user)) {
                problems.add("the built-in user '" + user + "' has a weak password (fewer than " + MIN_PASSWORD_LENGTH
                        + " characters, or the user's name): set " + variable + " or " + variable + "_FILE");
            }
        }
        boolean oidc = config.apply("quarkus.oidc.tenant-enabled").map(Boolean::parseBoolean).orElse(false);
        if (users.isEmpty() && !oidc) {
            problems.add("no one could sign in: set LIFEBOAT_OIDC_ENABLED=true with QUARKUS_OIDC_AUTH_SERVER_URL,"
                    + " or add the profile builtin-users (QUARKUS_PROFILE=prod,builtin-users) with its passwords");
        }
        return problems;
    }
}
