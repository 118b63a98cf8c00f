package io.lifeboat.service.schema;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.resource.LoadableResource;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The pipeline's own tables ({@code processed_event}, {@code outbox_event}, {@code dead_letter_replay}) in the
 * service's schema, migrated by a Flyway of their own (history table {@code lifeboat_support_history}, scripts in
 * {@code db/lifeboat-support}) so that they are defined once for every service, apart from the service's own
 * versions. Runs at start, before the consumers and the relay.
 */
@ApplicationScoped
public class SupportSchema {

    private static final Logger LOG = Logger.getLogger(SupportSchema.class);
    private static final String LOCATION = "db/lifeboat-support";
    /**
     * The scripts, in order. Listed rather than scanned: a packaged Quarkus application cannot list classpath
     * folders, and Quarkus' own Flyway only knows the locations it scanned at build time.
     */
    static final List<String> SCRIPTS = List.of("V1__pipeline.sql", "V2__outbox_record_key.sql");

    @Inject
    Instance<AgroalDataSource> dataSource;

    @ConfigProperty(name = "quarkus.flyway.default-schema")
    Optional<String> schema;

    private volatile boolean migrated;

    public synchronized void migrate() {
        if (migrated || !dataSource.isResolvable() || schema.isEmpty()) {
            migrated = true;
            return;
        }
        var result = Flyway.configure()
                .dataSource(dataSource.get())
                .schemas(schema.get())
                .defaultSchema(schema.get())
                .table("lifeboat_support_history")
                .resourceProvider(new Scripts())
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
        if (result.migrationsExecuted > 0) {
            LOG.infof("support schema in %s: %d migration(s) applied, now at %s", schema.get(),
                    result.migrationsExecuted, result.targetSchemaVersion);
        }
        migrated = true;
    }

    public boolean migrated() {
        return migrated;
    }

    /** The listed scripts, read from this jar. */
    private static final class Scripts implements ResourceProvider {

        @Override
        public LoadableResource getResource(String name) {
            return SCRIPTS.contains(name) ? new Script(name) : null;
        }

        @Override
        public Collection<LoadableResource> getResources(String prefix, String[] suffixes) {
            return SCRIPTS.stream().filter(n -> n.startsWith(prefix))
                    .filter(n -> Arrays.stream(suffixes).anyMatch(n::endsWith))
                    .map(n -> (LoadableResource) new Script(n)).toList();
        }
    }

    private static final class Script extends LoadableResource {
        private final String name;

        Script(String name) {
            this.name = name;
        }

        @Override
        public Reader read() {
            InputStream in = SupportSchema.class.getClassLoader().getResourceAsStream(LOCATION + "/" + name);
            if (in == null) {
                throw new IllegalStateException(LOCATION + "/" + name + " is missing from the classpath");
            }
            return new InputStreamReader(in, StandardCharsets.UTF_8);
        }

        @Override
        public String getAbsolutePath() {
            return LOCATION + "/" + name;
        }

        @Override
        public String getAbsolutePathOnDisk() {
            return getAbsolutePath();
        }

        @Override
        public String getFilename() {
            return name;
        }

        @Override
        public String getRelativePath() {
            return name;
        }
    }
}
