package io.lifeboat.stack;

import io.lifeboat.common.topic.TopicProvisioner;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Kafka broker in its own process: one combined KRaft node (broker and controller), its log under
 * {@code <dir>/data}, formatted once and reused on every start (toolchain.md: StorageTool format, then kafka.Kafka
 * with process.roles=broker,controller). The local stack keeps it under {@code .lifeboat/kafka}; the fault tests
 * kill it and start it again on the same ports and data.
 */
public final class KafkaNode implements AutoCloseable {

    /** Where the broker keeps its data and log, and its ports. */
    public record Spec(Path dir, int port, int controllerPort, Path log) {
        public String bootstrap() {
            return "127.0.0.1:" + port;
        }
    }

    private final Process process;
    private final Spec spec;

    private KafkaNode(Process process, Spec spec) {
        this.process = process;
        this.spec = spec;
    }

    static KafkaNode start(StackLayout layout, String java, String classpath) throws IOException,
            InterruptedException {
        return start(new Spec(layout.home().resolve("kafka"), layout.kafkaPort(), layout.kafkaControllerPort(),
                layout.logs().resolve("kafka.log")), java, classpath);
    }

    /** Starts the broker (formatting its log directory the first time) and creates the catalogue's topics. */
    public static KafkaNode start(Spec spec, String java, String classpath) throws IOException,
            InterruptedException {
        Path dir = spec.dir();
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        Files.createDirectories(spec.log().getParent());
        Path props = dir.resolve("server.properties");
        Files.writeString(props, serverProperties(spec, data));
        Path log = spec.log();

        if (!Files.exists(data.resolve("meta.properties"))) {
            Process format = new ProcessBuilder(command(java, classpath, "kafka.tools.StorageTool", "format",
                    "-t", Uuid.randomUuid().toString(), "-c", props.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
                throw new IllegalStateException("formatting the Kafka log directory failed; see " + log);
            }
        }
        Process broker = new ProcessBuilder(command(java, classpath, "kafka.Kafka", props.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        KafkaNode node = new KafkaNode(broker, spec);
        node.awaitReadyAndCreateTopics(Duration.ofSeconds(90));
        return node;
    }

    private static List<String> command(String java, String classpath, String main, String... args) {
        List<String> cmd = new ArrayList<>(List.of(java, "-Xms128m", "-Xmx512m", "-XX:+UseG1GC",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-cp", classpath, main));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static String serverProperties(Spec l, Path data) {
        return String.join("\n",
                "# Written by the Lifeboat local stack at each start; edit LIFEBOAT_KAFKA_* variables instead.",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + l.controllerPort(),
                "listeners=PLAINTEXT://127.0.0.1:" + l.port() + ",CONTROLLER://127.0.0.1:" + l.controllerPort(),
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + l.port(),
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                "log.dirs=" + data,
                "num.partitions=3",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=10",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                // Every topic comes from the catalogue: a misspelt name fails instead of creating a stray topic.
                "auto.create.topics.enable=false",
                "") ;
    }

    private void awaitReadyAndCreateTopics(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the Kafka broker exited with code " + process.exitValue()
                        + "; see " + spec.log());
            }
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, spec.bootstrap(),
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000",
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000"))) {
                TopicProvisioner.ensure(admin, (short) 1);
                return;
            } catch (Exception e) {
                last = e;
                Thread.sleep(500);
            }
        }
        throw new IllegalStateException("the Kafka broker was not ready within " + timeout.toSeconds() + " s: "
                + (last == null ? "" : last.getMessage()) + "; see " + spec.log());
    }

    public long pid() {
        return process.pid();
    }

    public Spec spec() {
        return spec;
    }

    /** Stops the broker cleanly (SIGTERM, then SIGKILL after 30 s). */
    @Override
    public void close() throws InterruptedException {
        ProcessControl.stop(process, Duration.ofSeconds(30));
    }

    /** Kills the broker at once (SIGKILL), as a crash or a lost machine would. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }
}
