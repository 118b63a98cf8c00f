package io.lifeboat.service.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Secrets mounted as files (a Kubernetes Secret volume): for every environment variable {@code LIFEBOAT_X_FILE}, the
 * configuration value {@code LIFEBOAT_X} is that file's content without its trailing line break. So
 * {@code LIFEBOAT_DB_PASSWORD_FILE=/var/run/secrets/lifeboat/db/password} gives {@code ${LIFEBOAT_DB_PASSWORD}} and no
 * password ever stands in the environment or in a manifest. A variable set directly wins over its file (ordinal 290,
 * just below the environment's 300). A file that cannot be read is an error naming the variable, never an empty value.
 */
public final class FileSecretsConfigSource implements ConfigSource {

    static final String PREFIX = "LIFEBOAT_";
    static final String SUFFIX = "_FILE";

    private final Map<String, String> environment;

    public FileSecretsConfigSource() {
        this(System.getenv());
    }

    FileSecretsConfigSource(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    @Override
    public Set<String> getPropertyNames() {
        Set<String> names = new TreeSet<>();
        environment.forEach((k, v) -> {
            if (k.startsWith(PREFIX) && k.endsWith(SUFFIX) && k.length() > PREFIX.length() + SUFFIX.length()
                    && !v.isBlank()) {
                names.add(k.substring(0, k.length() - SUFFIX.length()));
            }
        });
        return names;
    }

    @Override
    public String getValue(String name) {
        if (!name.startsWith(PREFIX) || name.endsWith(SUFFIX)) {
            return null;
        }
        String file = environment.get(name + SUFFIX);
        if (file == null || file.isBlank()) {
            return null;
        }
        try {
            String content = Files.readString(Path.of(file.strip()), StandardCharsets.UTF_8);
            return content.replaceAll("[\\r\\n]+$", "");
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(name + SUFFIX + " names " + file.strip() + ", which cannot be read ("
                    + e.getClass().getSimpleName() + "): mount the Secret there or unset the variable", e);
        }
    }

    @Override
    public int getOrdinal() {
        return 290;
    }

    @Override
    public String getName() {
        return "lifeboat-file-secrets";
    }
}
