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
 * {@code .lifeboat/kafka}, formatted once and reused on every start (toolchain.md: StorageTool format, then
 * kafka.Kafka with process.roles=broker,controller).
 */
final class KafkaNode implements AutoCloseable {

    private final Process process;
    private final StackLayout layout;

    private KafkaNode(Process process, StackLayout layout) {
        this.process = process;
        this.layout = layout;
    }

    static KafkaNode start(StackLayout layout, String java, String classpath) throws IOException,
            InterruptedException {
        Path dir = layout.home().resolve("kafka");
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        Path props = dir.resolve("server.properties");
        Files.writeString(props, serverProperties(layout, data));
        Path log = layout.logs().resolve("kafka.log");

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
        KafkaNode node = new KafkaNode(broker, layout);
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

    private static String serverProperties(StackLayout l, Path data) {
        return String.join("\n",
                "# Written by the Lifeboat local stack at each start; edit LIFEBOAT_KAFKA_* variables instead.",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + l.kafkaControllerPort(),
                "listeners=PLAINTEXT://127.0.0.1:" + l.kafkaPort() + ",CONTROLLER://127.0.0.1:"
                        + l.kafkaControllerPort(),
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + l.kafkaPort(),
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
                        + "; see " + layout.logs().resolve("kafka.log"));
            }
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, layout.kafkaBootstrap(),
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
                + (last == null ? "" : last.getMessage()) + "; see " + layout.logs().resolve("kafka.log"));
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() throws InterruptedException {
        ProcessControl.stop(process, Duration.ofSeconds(30));
    }
}
