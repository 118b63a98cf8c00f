package io.lifeboat.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.lifeboat.common.event.EventType;
import io.lifeboat.common.event.EventTypes;
import io.lifeboat.common.json.Json;
import io.lifeboat.common.schema.AsyncApiDocument;
import io.lifeboat.common.topic.Topic;

/**
 * The AsyncAPI document is generated from the catalogue and the event types: the committed copies (in the jar and in
 * deploy/) are exactly that output (regenerate with
 * {@code mvn -pl common test -Dtest=AsyncApiContractTest -Dlifeboat.schemas.write=true}), and it says what the catalogue
 * says. Its validity against the AsyncAPI 3.0 specification is checked by the official parser in deploy-check.
 */
class AsyncApiContractTest {

    static final Path IN_JAR = Path.of(System.getProperty("lifeboat.schemas.dir", "src/main/resources/schemas"))
            .resolveSibling(AsyncApiDocument.RESOURCE);
    static final Path IN_DEPLOY = Path.of(System.getProperty("lifeboat.deploy.dir", "../deploy"))
            .resolve("asyncapi.json");

    @Test
    void theCommittedDocumentsAreTheGeneratedOne() throws Exception {
        if (Boolean.getBoolean("lifeboat.schemas.write")) {
            Files.writeString(IN_JAR, AsyncApiDocument.render());
            Files.writeString(IN_DEPLOY, AsyncApiDocument.render());
        }
        String stale = "%s is stale: regenerate with -Dtest=AsyncApiContractTest -Dlifeboat.schemas.write=true";
        assertThat(Files.readString(IN_JAR)).as(stale, IN_JAR).isEqualTo(AsyncApiDocument.render());
        assertThat(Files.readString(IN_DEPLOY)).as(stale, IN_DEPLOY).isEqualTo(AsyncApiDocument.render());
        assertThat(getClass().getClassLoader().getResource(AsyncApiDocument.RESOURCE)).isNotNull();
    }

    @Test
    void everyTopicItsDeadLettersAndEveryEventTypeAsTheCatalogueSays() throws Exception {
        JsonNode doc = Json.mapper().readTree(AsyncApiDocument.render());
        assertThat(doc.path("asyncapi").asText()).isEqualTo("3.0.0");
        assertThat(doc.path("channels").size()).isEqualTo(2 * Topic.values().length);
        assertThat(doc.path("operations").size()).isEqualTo(2 * Topic.values().length);
        for (Topic t : Topic.values()) {
            JsonNode channel = find(doc.path("channels"), t.topicName());
            assertThat(channel.at("/bindings/kafka/partitions").asInt()).isEqualTo(t.partitions());
            assertThat(channel.at("/bindings/kafka/topicConfiguration/cleanup.policy/0").asText())
                    .isEqualTo(t.compacted() ? "compact" : "delete");
            assertThat(channel.path("messages").size()).isEqualTo(EventTypes.onTopic(t).size());
            JsonNode dlq = find(doc.path("channels"), t.dlqName());
            assertThat(dlq.at("/messages/deadLetter/$ref").asText()).isEqualTo("#/components/messages/deadLetter");
        }
        for (EventType<?> e : EventTypes.all()) {
            JsonNode m = doc.at("/components/messages/" + e.type().replace("/", "~1"));
            assertThat(m.at("/headers/properties/ce_type/enum/0").asText()).isEqualTo(e.type());
            assertThat(m.path("payload").path("properties").size()).as(e.type()).isPositive();
        }
        // Spot values, by hand from README "Topics and events": the VM states are keyed by VM key, 12 partitions.
        JsonNode vms = find(doc.path("channels"), "lifeboat.inventory.vms.v1");
        assertThat(vms.path("description").asText()).contains("Key: VM key.");
        assertThat(vms.at("/bindings/kafka/partitions").asInt()).isEqualTo(12);
        assertThat(doc.at("/components/messages/deadLetter/headers/properties/dead-letter-reason-code/enum")
                .toString()).isEqualTo("[\"decode\",\"contract\",\"data\",\"processing\"]");
        assertThat(doc.toString()).doesNotContain("#/$defs/");
    }

    private static JsonNode find(JsonNode channels, String address) {
        for (JsonNode c : channels) {
            if (c.path("address").asText().equals(address)) {
                return c;
            }
        }
        throw new AssertionError("no channel for " + address);
    }
}
