package io.lifeboat.service.security;

import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;

import jakarta.annotation.Priority;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Priorities;

/**
 * The database password, checked where it is read: outside the profiles {@code local}, {@code test} and {@code dev}, a
 * missing, empty or well-known one stops the start before any connection is tried (Flyway migrates first, and a
 * missing optional value would otherwise reach PostgreSQL as an empty password). The message names the variable.
 */
@Priority(Priorities.APPLICATION)
public final class DatabasePasswordCheck implements ConfigSourceInterceptor {

    static final String PASSWORD = "quarkus.datasource.password";

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        if (!PASSWORD.equals(name)) {
            return context.proceed(name);
        }
        ConfigValue value;
        try {
            value = context.proceed(name);
        } catch (NoSuchElementException e) {
            value = null;
        }
        List<String> profiles = profiles(context.proceed("quarkus.profile"));
        String problem = SecureDefaults.databasePasswordProblem(profiles, value == null ? null : value.getValue());
        if (problem != null) {
            throw new IllegalStateException("refusing to start with the profile " + String.join(",", profiles) + ": "
                    + problem);
        }
        return value;
    }

    private static List<String> profiles(ConfigValue profile) {
        String p = profile == null || profile.getValue() == null || profile.getValue().isBlank() ? "prod"
                : profile.getValue();
        return Arrays.stream(p.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
