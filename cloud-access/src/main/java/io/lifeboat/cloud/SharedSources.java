package io.lifeboat.cloud;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import jakarta.annotation.Priority;

import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One sources file for every service: each {@code lifeboat.sources.<id>.<key>} (the connection: kind, url, username,
 * password or password-file, trust store...) is also {@code lifeboat.collector.sources.<id>.<key>} and
 * {@code lifeboat.evacuation.sources.<id>.<key>}, unless the service's own key is set (it wins). A service's own
 * settings (a cycle interval, a fencer) stay under its prefix. Registered with SmallRye Config through
 * {@code META-INF/services}; placed after the profile and expression interceptors, so {@code %prod.} and
 * {@code ${ENV}} work in the shared keys as everywhere.
 */
@Priority(SharedSources.PRIORITY)
public final class SharedSources implements ConfigSourceInterceptor {

    static final int PRIORITY = 3000;
    public static final String SHARED = "lifeboat.sources.";
    static final List<String> SERVICES = List.of("lifeboat.collector.sources.", "lifeboat.evacuation.sources.");

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue own = context.proceed(name);
        if (own != null) {
            return own;
        }
        for (String prefix : SERVICES) {
            if (name.startsWith(prefix)) {
                ConfigValue shared = context.proceed(SHARED + name.substring(prefix.length()));
                return shared == null ? null : shared.withName(name);
            }
        }
        return null;
    }

    @Override
    public Iterator<String> iterateNames(ConfigSourceInterceptorContext context) {
        Set<String> names = new LinkedHashSet<>();
        context.iterateNames().forEachRemaining(names::add);
        for (String n : List.copyOf(names)) {
            if (n.startsWith(SHARED)) {
                for (String prefix : SERVICES) {
                    names.add(prefix + n.substring(SHARED.length()));
                }
            }
        }
        return names.iterator();
    }
}
