package io.lifeboat.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.databind.MappingIterator;

import io.lifeboat.common.topic.Topic;

/** The committed KafkaTopics are the catalogue's, read back as YAML and compared field by field. */
class TopicResourcesTest {

    static final Path FILE = Deploy.dir().resolve("topics/kafkatopics.yaml");

    @Test
    void theCommittedTopicsAreTheCatalogues() throws Exception {
        if (Boolean.getBoolean("lifeboat.deploy.write")) {
            Files.writeString(FILE, TopicResources.render());
        }
        assertThat(Files.readString(FILE)).as("deploy/topics/kafkatopics.yaml differs from the catalogue: regenerate"
                + " with mvn -pl deploy-check test -Dtest=TopicResourcesTest -Dlifeboat.deploy.write=true")
                .isEqualTo(TopicResources.render());
    }

    @Test
    void everyTopicAndItsDeadLetterTopicAsTheCatalogueSays() throws Exception {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = new ObjectMapper(new YAMLFactory()).readerFor(JsonNode.class)
                .readValues(FILE.toFile())) {
            it.forEachRemaining(docs::add);
        }
        assertThat(docs).hasSize(2 * Topic.values().length);
        for (Topic t : Topic.values()) {
            JsonNode main = find(docs, t.topicName());
            assertThat(main.at("/spec/partitions").asInt()).isEqualTo(t.partitions());
            assertThat(main.at("/spec/config/cleanup.policy").asText()).isEqualTo(t.compacted() ? "compact" : "delete");
            assertThat(main.at("/metadata/labels/strimzi.io~1cluster").asText()).isEqualTo("lifeboat");
            JsonNode dlq = find(docs, t.topicName() + ".dlq");
            assertThat(dlq.at("/spec/partitions").asInt()).isEqualTo(1);
            assertThat(dlq.at("/spec/config/retention.ms").asText()).isEqualTo(String.valueOf(14L * 24 * 3600 * 1000));
        }
        // Spot values written out by hand from the catalogue's table in README "Topics and events".
        JsonNode vms = find(docs, "lifeboat.inventory.vms.v1");
        assertThat(vms.at("/spec/partitions").asInt()).isEqualTo(12);
        assertThat(vms.at("/spec/config/min.compaction.lag.ms").asText()).isEqualTo("604800000");
        assertThat(find(docs, "lifeboat.recovery.v1").at("/spec/config/retention.ms").asText()).isEqualTo("2592000000");
    }

    private static JsonNode find(List<JsonNode> docs, String topic) {
        return docs.stream().filter(d -> d.at("/spec/topicName").asText().equals(topic)).findFirst()
                .orElseThrow(() -> new AssertionError("no KafkaTopic for " + topic));
    }
}
