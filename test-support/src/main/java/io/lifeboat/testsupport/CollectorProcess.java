package io.lifeboat.testsupport;

import java.util.HashMap;
import java.util.Map;

/**
 * The real collector-service, run as its own process against the test JVM's Kafka broker and PostgreSQL and the
 * simulator's {@code ovirt-1} and {@code openstack-1}: what feeds the downstream services in their scenario tests.
 * Fast signals every second; full cycles at start and on refresh.
 */
public final class CollectorProcess {

    private static volatile AppProcess instance;

    private CollectorProcess() {
    }

    public static AppProcess get() {
        AppProcess c = instance;
        if (c == null) {
            synchronized (CollectorProcess.class) {
                c = instance;
                if (c == null) {
                    TestInfrastructure infra = TestInfrastructure.get();
                    String sim = SimulatorProcess.get().url();
                    Map<String, String> p = new HashMap<>(SimulatorSources.collectorProperties(sim));
                    p.put("kafka.bootstrap.servers", infra.bootstrapServers());
                    p.put("quarkus.datasource.jdbc.url", infra.jdbcUrl());
                    p.put("quarkus.datasource.username", infra.jdbcUser());
                    p.put("quarkus.datasource.password", infra.jdbcPassword());
                    c = AppProcess.start("collector-service", "lifeboat.collector.jar", p, "512m");
                    instance = c;
                }
            }
        }
        return c;
    }
}
