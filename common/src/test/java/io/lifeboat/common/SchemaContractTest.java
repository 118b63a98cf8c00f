package io.lifeboat.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.lifeboat.common.envelope.CloudEventsKafka;
import io.lifeboat.common.envelope.EventEnvelope;
import io.lifeboat.common.event.EventType;
import io.lifeboat.common.event.EventTypes;
import io.lifeboat.common.json.Json;
import io.lifeboat.common.schema.EventSchemas;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The published JSON Schemas are the contract for downstream consumers: they must match the records (regenerate with
 * {@code mvn -pl common test -Dtest=SchemaContractTest -Dlifeboat.schemas.write=true}), and real encoded events must
 * validate against them.
 */
class SchemaContractTest {

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    @Test
    void committedSchemasMatchTheRecords() throws Exception {
        if (Boolean.getBoolean("lifeboat.schemas.write")) {
            EventSchemas.writeAll(Path.of(System.getProperty("lifeboat.schemas.dir")));
        }
        for (EventType<?> t : EventTypes.all()) {
            String committed = committed(t);
            assertThat(committed)
                    .as("schemas/%s is stale: regenerate with -Dlifeboat.schemas.write=true", EventSchemas.fileName(t))
                    .isEqualTo(EventSchemas.render(t));
        }
    }

    @Test
    void everyEventTypeHasASample() {
        Set<Class<?>> sampled = SampleEvents.all().stream().map(Object::getClass).collect(Collectors.toSet());
        assertThat(EventTypes.all()).allSatisfy(t -> assertThat(sampled).contains(t.dataClass()));
    }

    @Test
    void encodedSamplesValidateAgainstTheirSchemas() throws Exception {
        for (Object data : SampleEvents.all()) {
            ProducerRecord<String, byte[]> r = CloudEventsKafka.toRecord(
                    EventEnvelope.create(URI.create("/test"), data, SampleEvents.T));
            EventType<?> t = EventTypes.forData(data);
            Set<ValidationMessage> errors = schema(t).validate(Json.mapper().readTree(r.value()));
            assertThat(errors).as(t.type()).isEmpty();
        }
    }

    @Test
    void everyRequiredFieldIsEnforcedBySchemaAndDecoderAlike() throws Exception {
        for (Object data : SampleEvents.all()) {
            EventType<?> t = EventTypes.forData(data);
            ProducerRecord<String, byte[]> r = CloudEventsKafka.toRecord(
                    EventEnvelope.create(URI.create("/test"), data, SampleEvents.T));
            JsonNode schemaJson = Json.mapper().readTree(committed(t));
            List<String> required = Json.mapper().convertValue(schemaJson.get("required"),
                    Json.mapper().getTypeFactory().constructCollectionType(List.class, String.class));
            assertThat(required).as(t.type()).isNotEmpty();
            for (String field : required) {
                ObjectNode json = (ObjectNode) Json.mapper().readTree(r.value());
                json.remove(field);
                Set<ValidationMessage> errors = schema(t).validate(json);
                assertThat(errors).as("%s without %s", t.type(), field)
                        .anySatisfy(m -> assertThat(m.getMessage()).contains(field));
                assertThatThrownBy(() -> CloudEventsKafka.decode(r.headers(), Json.mapper().writeValueAsBytes(json)))
                        .as("%s without %s", t.type(), field)
                        .hasMessageContaining("'" + field + "'");
            }
        }
    }

    @Test
    void schemaRejectsAMalformedKey() throws Exception {
        EventType<?> t = EventTypes.VM_STATE;
        ObjectNode json = (ObjectNode) Json.mapper().valueToTree(SampleEvents.vmState());
        json.put("vm", "no-separator");
        assertThat(schema(t).validate(json)).anySatisfy(m -> assertThat(m.getMessage()).contains("vm"));
    }

    @Test
    void schemasDeclareTheirTopicAndRequiredFields() throws Exception {
        JsonNode s = Json.mapper().readTree(committed(EventTypes.HOST_STATE));
        assertThat(s.get("description").asText()).contains("lifeboat.inventory.hosts.v1");
        Iterator<JsonNode> it = s.get("required").elements();
        assertThat(it).toIterable().extracting(JsonNode::asText)
                .containsExactly("host", "platform", "name", "status", "platformStatus", "observedAt");
        assertThat(s.at("/properties/cluster/anyOf/1/type").asText()).isEqualTo("null");
    }

    private static JsonSchema schema(EventType<?> t) {
        return FACTORY.getSchema(committed(t));
    }

    private static String committed(EventType<?> t) {
        try (InputStream in = SchemaContractTest.class.getResourceAsStream("/schemas/" + EventSchemas.fileName(t))) {
            assertThat(in).as("schemas/%s is missing: generate with -Dlifeboat.schemas.write=true",
                    EventSchemas.fileName(t)).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
