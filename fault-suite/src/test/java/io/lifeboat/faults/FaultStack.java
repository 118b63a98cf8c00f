package io.lifeboat.faults;

import io.lifeboat.stack.KafkaNode;
import io.lifeboat.stack.PostgresNode;
import io.lifeboat.testsupport.AppProcess;
import io.lifeboat.testsupport.SimulatorSources;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A whole Lifeboat on this machine for fault tests: a Kafka broker and a PostgreSQL server as processes that the
 * tests stop, kill and start again on the same ports and data (the local stack's own nodes), the cloud-simulator,
 * and the collector, mapping, evacuation and watchdog services from their packaged jars.
 */
final class FaultStack implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger("io.lifeboat.faults");
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final Path dir;
    private final KafkaNode.Spec kafkaSpec;
    private final Path pgData;
    private final int pgPort;
    private final String java;
    private final String kafkaClasspath;
    KafkaNode kafka;
    PostgresNode postgres;
    AppProcess simulator;
    final Map<String, AppProcess> services = new HashMap<>();

    FaultStack() throws Exception {
        dir = Files.createTempDirectory("lifeboat-faults-");
        kafkaSpec = new KafkaNode.Spec(dir.resolve("kafka"), freePort(), freePort(), dir.resolve("logs/kafka.log"));
        pgData = dir.resolve("postgres");
        pgPort = freePort();
        java = ProcessHandle.current().info().command().orElse("java");
        kafkaClasspath = stackClasspath();
        long t0 = System.nanoTime();
        startPostgres();
        startKafka();
        LOG.infof("fault stack: Kafka at %s (pid %d), PostgreSQL at %s, in %d ms; data in %s", bootstrap(),
                kafka.pid(), postgres.jdbcUrl(), (System.nanoTime() - t0) / 1_000_000, dir);
    }

    String bootstrap() {
        return kafkaSpec.bootstrap();
    }

    void startKafka() throws Exception {
        kafka = KafkaNode.start(kafkaSpec, java, kafkaClasspath);
    }

    /** SIGKILL: the broker dies with whatever it held in flight. */
    void killKafka() throws Exception {
        kafka.kill();
    }

    void startPostgres() throws IOException {
        postgres = PostgresNode.start(pgData, pgPort, dir.resolve("logs/postgres.log"));
    }

    /** A fast shutdown: every session is ended, new connections are refused. */
    void stopPostgres() throws IOException {
        postgres.close();
    }

    // ------------------------------------------------------------------ the applications

    void startSimulator() {
        simulator = AppProcess.start("cloud-simulator", "lifeboat.simulator.jar", Map.of(
                "simulator.openstack.service-down-time", "3s",
                "simulator.openstack.evacuation-duration", "500ms"), "512m");
    }

    /** The service's configuration on this stack: the broker, the database, short retry waits. */
    Map<String, String> serviceProperties() {
        Map<String, String> p = new HashMap<>();
        p.put("kafka.bootstrap.servers", bootstrap());
        p.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl());
        p.put("quarkus.datasource.username", PostgresNode.ROLE);
        p.put("quarkus.datasource.password", PostgresNode.ROLE);
        p.put("lifeboat.pipeline.max-backoff", "2s");
        return p;
    }

    AppProcess start(String service, Map<String, String> extra) {
        Map<String, String> p = serviceProperties();
        if (service.equals("collector-service")) {
            p.putAll(SimulatorSources.collectorProperties(simulator.url()));
        }
        p.putAll(extra);
        String jar = "lifeboat." + service.replace("-service", "") + ".jar";
        AppProcess app = AppProcess.start(service, jar, p, "384m");
        services.put(service, app);
        return app;
    }

    AppProcess service(String name) {
        return services.get(name);
    }

    // ------------------------------------------------------------------ what the tests count

    /** Every record held by every dead-letter topic. */
    long deadLetters() throws Exception {
        return deadLettersByTopic().values().stream().mapToLong(Long::longValue).sum();
    }

    Map<String, Long> deadLettersByTopic() throws Exception {
        try (Admin admin = admin()) {
            List<String> dlqs = admin.listTopics().names().get(10, TimeUnit.SECONDS).stream()
                    .filter(t -> t.endsWith(".dlq")).sorted().toList();
            Map<String, TopicDescription> d = admin.describeTopics(dlqs).allTopicNames().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            d.values().forEach(t -> t.partitions().forEach(p -> {
                earliest.put(new TopicPartition(t.name(), p.partition()), OffsetSpec.earliest());
                latest.put(new TopicPartition(t.name(), p.partition()), OffsetSpec.latest());
            }));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e = admin.listOffsets(earliest).all()
                    .get(10, TimeUnit.SECONDS);
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> l = admin.listOffsets(latest).all()
                    .get(10, TimeUnit.SECONDS);
            return l.entrySet().stream().collect(Collectors.groupingBy(x -> x.getKey().topic(),
                    Collectors.summingLong(x -> x.getValue().offset() - e.get(x.getKey()).offset())));
        }
    }

    Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000"));
    }

    long count(String sql) throws Exception {
        try (Connection c = postgres.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    void execute(String sql) throws Exception {
        try (Connection c = postgres.connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** The sum of a counter's series whose labels contain every given {@code label="value"}. */
    static double metric(AppProcess app, String name, String... labels) throws Exception {
        String body = HTTP.send(HttpRequest.newBuilder(URI.create(app.url() + "/q/metrics"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        double sum = 0;
        for (String line : body.split("\n")) {
            if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                continue;
            }
            boolean all = true;
            for (String l : labels) {
                all &= line.contains(l);
            }
            if (all) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** The readiness answer and how long it took. */
    record Ready(int status, long millis, String body) {
    }

    static Ready ready(AppProcess app) {
        long t0 = System.nanoTime();
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(app.url() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return new Ready(r.statusCode(), (System.nanoTime() - t0) / 1_000_000, r.body());
        } catch (Exception e) {
            return new Ready(-1, (System.nanoTime() - t0) / 1_000_000, e.toString());
        }
    }

    @Override
    public void close() {
        services.values().forEach(AppProcess::kill);
        if (simulator != null) {
            simulator.kill();
        }
        try {
            if (kafka != null) {
                kafka.close();
            }
        } catch (Exception e) {
            LOG.warn("stopping Kafka", e);
        }
        try {
            if (postgres != null) {
                postgres.close();
            }
        } catch (Exception e) {
            LOG.warn("stopping PostgreSQL", e);
        }
    }

    /** The local stack's launcher and its libraries: what the broker process runs on, as on the local stack. */
    private static String stackClasspath() throws IOException {
        Path jar = Path.of(System.getProperty("lifeboat.stack.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build local-stack first (mvn verify from the root)");
        }
        try (Stream<Path> libs = Files.list(jar.getParent().resolve("lib"))) {
            return Stream.concat(Stream.of(jar), libs.filter(p -> p.toString().endsWith(".jar")).sorted())
                    .map(Path::toString).collect(Collectors.joining(File.pathSeparator));
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
