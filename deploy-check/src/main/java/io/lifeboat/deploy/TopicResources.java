package io.lifeboat.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import io.lifeboat.common.topic.Topic;

/**
 * Strimzi {@code KafkaTopic} resources for every topic of the catalogue ({@link Topic}) and its dead-letter companion:
 * partitions, compaction and retention as the catalogue says, 3 replicas with {@code min.insync.replicas=2} (the lab
 * overlay patches both to 1). Generated, never edited: {@code deploy/topics/kafkatopics.yaml} is this output, and
 * {@code TopicResourcesTest} fails when the two differ. Run {@code main} (or the test with
 * {@code -Dlifeboat.deploy.write=true}) after changing the catalogue.
 */
public final class TopicResources {

    /** The Strimzi Kafka cluster the topics belong to (the label the Topic Operator selects on). */
    public static final String CLUSTER = "lifeboat";
    static final int REPLICAS = 3;
    static final String MIN_INSYNC = "2";

    private TopicResources() {
    }

    /** The whole file, one resource per topic, in the catalogue's order, each topic followed by its DLQ. */
    public static String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("# Generated from common's topic catalogue (io.lifeboat.common.topic.Topic) by deploy-check's\n")
                .append("# TopicResources: do not edit. A test fails when this file and the catalogue differ.\n");
        for (Topic t : Topic.values()) {
            resource(sb, t.topicName(), t.partitions(), t.configs(), t.description());
            resource(sb, t.dlqName(), 1, Topic.dlqConfigs(), "Dead letters of " + t.topicName()
                    + ": records its consumers could never process, with the reason in headers.");
        }
        return sb.toString();
    }

    private static void resource(StringBuilder sb, String topic, int partitions, Map<String, String> configs,
            String description) {
        Map<String, String> config = new TreeMap<>(configs);
        config.put("min.insync.replicas", MIN_INSYNC);
        sb.append("---\n")
                .append("apiVersion: kafka.strimzi.io/v1beta2\n")
                .append("kind: KafkaTopic\n")
                .append("metadata:\n")
                .append("  name: ").append(topic).append('\n')
                .append("  labels:\n")
                .append("    strimzi.io/cluster: ").append(CLUSTER).append('\n')
                .append("    app.kubernetes.io/part-of: lifeboat\n")
                .append("  annotations:\n")
                .append("    lifeboat.io/description: \"").append(description.replace("\"", "'")).append("\"\n")
                .append("spec:\n")
                .append("  topicName: ").append(topic).append('\n')
                .append("  partitions: ").append(partitions).append('\n')
                .append("  replicas: ").append(REPLICAS).append('\n')
                .append("  config:\n");
        config.forEach((k, v) -> sb.append("    ").append(k).append(": \"").append(v).append("\"\n"));
    }

    /** Writes {@code kafkatopics.yaml} into the given folder ({@code deploy/topics}). */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "deploy/topics");
        Files.writeString(dir.resolve("kafkatopics.yaml"), render(), StandardCharsets.UTF_8);
    }
}
