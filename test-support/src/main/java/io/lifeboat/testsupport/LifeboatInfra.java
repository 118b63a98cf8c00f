package io.lifeboat.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Points a {@code @QuarkusTest} application at the JVM's real Kafka broker and PostgreSQL:
 * {@code @QuarkusTestResource(LifeboatInfra.class)}. Both are shared by every test class of the JVM and stopped when
 * it exits, so {@link #stop()} does nothing.
 */
public class LifeboatInfra implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        TestInfrastructure infra = TestInfrastructure.get();
        return Map.of(
                "kafka.bootstrap.servers", infra.bootstrapServers(),
                "quarkus.datasource.jdbc.url", infra.jdbcUrl(),
                "quarkus.datasource.username", infra.jdbcUser(),
                "quarkus.datasource.password", infra.jdbcPassword());
    }

    @Override
    public void stop() {
        // shared for the JVM's lifetime; see TestInfrastructure
    }
}
