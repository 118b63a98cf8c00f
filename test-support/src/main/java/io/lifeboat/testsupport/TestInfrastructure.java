package io.lifeboat.testsupport;

import io.lifeboat.common.topic.TopicProvisioner;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A real Kafka broker (a combined KRaft node from Kafka's own test kit) and a real PostgreSQL (binaries from Maven),
 * started once per test JVM and stopped when it exits. No Docker, no in-memory stand-ins.
 */
public final class TestInfrastructure {

    private static final Logger LOG = Logger.getLogger("io.lifeboat.testsupport");
    private static volatile TestInfrastructure instance;

    private final KafkaClusterTestKit kafka;
    private final EmbeddedPostgres postgres;
    private final String bootstrapServers;
    private final String jdbcUrl;

    private TestInfrastructure(KafkaClusterTestKit kafka, EmbeddedPostgres postgres) {
        this.kafka = kafka;
        this.postgres = postgres;
        this.bootstrapServers = kafka.bootstrapServers();
        this.jdbcUrl = postgres.getJdbcUrl("postgres", "postgres");
    }

    /** Starts both on first use; later calls return the same running pair. */
    public static TestInfrastructure get() {
        TestInfrastructure i = instance;
        if (i == null) {
            synchronized (TestInfrastructure.class) {
                i = instance;
                if (i == null) {
                    i = start();
                    instance = i;
                }
            }
        }
        return i;
    }

    /** Kept strongly reachable: java.util.logging forgets levels of loggers nobody references. */
    private static final java.util.List<java.util.logging.Logger> QUIET = java.util.stream.Stream.of(
                    "kafka", "state.change.logger", "org.apache.kafka", "io.zonky")
            .map(java.util.logging.Logger::getLogger)
            .peek(l -> l.setLevel(java.util.logging.Level.WARNING))
            .toList();

    private static TestInfrastructure start() {
        long t0 = System.nanoTime();
        // The broker calls Exit.exit / Exit.halt on fatal errors, e.g. when its log directory goes away while the JVM
        // shuts down: that would end the test JVM with a non-zero code after every test passed. Kafka's own tests
        // replace both procedures the same way.
        org.apache.kafka.common.utils.Exit.setExitProcedure((code, message) ->
                LOG.warnf("the Kafka test broker asked to exit(%d): %s", code, message));
        org.apache.kafka.common.utils.Exit.setHaltProcedure((code, message) ->
                LOG.warnf("the Kafka test broker asked to halt(%d): %s", code, message));
        CompletableFuture<EmbeddedPostgres> pg = CompletableFuture.supplyAsync(TestInfrastructure::startPostgres);
        KafkaClusterTestKit kafka = startKafka();
        long kafkaMs = (System.nanoTime() - t0) / 1_000_000;
        EmbeddedPostgres postgres = pg.join();
        TestInfrastructure infra = new TestInfrastructure(kafka, postgres);
        try (Admin admin = infra.admin()) {
            TopicProvisioner.ensure(admin, (short) 1);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the topic catalogue on the test broker", e);
        }
        LOG.infof("Test infrastructure up in %d ms: Kafka %s KRaft broker at %s (ready after %d ms); %s at %s",
                (System.nanoTime() - t0) / 1_000_000, org.apache.kafka.common.utils.AppInfoParser.getVersion(),
                infra.bootstrapServers, kafkaMs, infra.postgresVersion(), infra.jdbcUrl);
        Runtime.getRuntime().addShutdownHook(new Thread(infra::stop, "lifeboat-test-infra-stop"));
        return infra;
    }

    private static KafkaClusterTestKit startKafka() {
        try {
            KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build())
                    // Consumers join at once instead of after the default 3 s rebalance delay.
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "5")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("auto.create.topics.enable", "true")
                    .build();
            kit.format();
            kit.startup();
            kit.waitForReadyBrokers();
            return kit;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the Kafka test broker", e);
        }
    }

    private static EmbeddedPostgres startPostgres() {
        try {
            return EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the embedded PostgreSQL", e);
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String jdbcUser() {
        return "postgres";
    }

    public String jdbcPassword() {
        return "postgres";
    }

    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    public Connection jdbc() throws java.sql.SQLException {
        return postgres.getPostgresDatabase().getConnection();
    }

    private String postgresVersion() {
        try (Connection c = jdbc(); ResultSet rs = c.createStatement().executeQuery("show server_version")) {
            rs.next();
            return "PostgreSQL " + rs.getString(1);
        } catch (Exception e) {
            return "PostgreSQL (version unknown: " + e.getMessage() + ")";
        }
    }

    private void stop() {
        try {
            kafka.close();
        } catch (Exception e) {
            LOG.warn("stopping the Kafka test broker", e);
        }
        try {
            postgres.close();
        } catch (Exception e) {
            LOG.warn("stopping the embedded PostgreSQL", e);
        }
    }
}
