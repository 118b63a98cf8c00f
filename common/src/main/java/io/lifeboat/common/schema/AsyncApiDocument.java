package io.lifeboat.common.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.lifeboat.common.deadletter.DeadLetters;
import io.lifeboat.common.event.EventType;
import io.lifeboat.common.event.EventTypes;
import io.lifeboat.common.json.Json;
import io.lifeboat.common.topic.Topic;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The contract for downstream consumers as an AsyncAPI 3.0 document, generated from the topic catalogue
 * ({@link Topic}) and the event types with their JSON Schemas ({@link EventSchemas}): a channel per topic and per
 * dead-letter topic (Kafka bindings: partitions, compaction, retention), the key of each, the CloudEvents headers of
 * every message (binary mode), each event type's payload, and the {@code dead-letter-*} headers. Lifeboat's services
 * are the one application it describes: it sends every event. Committed as
 * {@code src/main/resources/asyncapi/lifeboat.asyncapi.json} (in the jar) and {@code deploy/asyncapi.json}; a test
 * fails when either differs from this output.
 */
public final class AsyncApiDocument {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String KAFKA_BINDING = "0.5.0";
    public static final String RESOURCE = "asyncapi/lifeboat.asyncapi.json";

    private AsyncApiDocument() {
    }

    public static String render() {
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(document()) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ObjectNode document() {
        ObjectNode doc = F.objectNode();
        doc.put("asyncapi", "3.0.0");
        ObjectNode info = doc.putObject("info");
        info.put("title", "Lifeboat events");
        info.put("version", "1.0.0");
        info.put("description", "Every event Lifeboat publishes on Kafka, for downstream consumers. Each record is a"
                + " CloudEvents 1.0 event in Kafka binary mode: the ce_* headers and a JSON value; the key as each"
                + " channel says. Consumers must be idempotent on ce_id (UUID v7 from Lifeboat; any string up to 128"
                + " characters). Compacted topics carry a tombstone (null value, no ce_* headers) when the entity is"
                + " gone. A record a consumer could never process goes to <topic>.dlq with its original key, value and"
                + " headers and the dead-letter-* headers. Within a version, fields are only added: read with unknown"
                + " properties ignored.");
        doc.put("defaultContentType", "application/json");
        ObjectNode server = doc.putObject("servers").putObject("kafka");
        server.put("host", "lifeboat-kafka-bootstrap.kafka.svc:9093");
        server.put("protocol", "kafka-secure");
        server.put("description", "The Strimzi Kafka cluster 'lifeboat' (deploy/README.md); TLS listener.");

        ObjectNode channels = doc.putObject("channels");
        ObjectNode operations = doc.putObject("operations");
        ObjectNode components = doc.putObject("components");
        ObjectNode messages = components.putObject("messages");
        Map<String, JsonNode> schemas = new TreeMap<>();

        ObjectNode deadLetter = messages.putObject("deadLetter");
        deadLetter.put("name", "deadLetter");
        deadLetter.put("title", "A dead letter");
        deadLetter.put("summary", "A record a consumer could never process: the original key, value and headers,"
                + " plus the dead-letter-* headers. The value is the original bytes (JSON, or not).");
        deadLetter.set("headers", deadLetterHeaders());
        deadLetter.putObject("payload").put("description", "The original record's value, unchanged (null for a"
                + " tombstone).");

        for (Topic topic : Topic.values()) {
            List<EventType<?>> types = EventTypes.onTopic(topic);
            String id = channelId(topic);
            ObjectNode channel = channels.putObject(id);
            channel.put("address", topic.topicName());
            channel.put("title", topic.topicName());
            channel.put("description", topic.description() + " Key: " + topic.key() + ".");
            ObjectNode refs = channel.putObject("messages");
            ArrayNode sendRefs = F.arrayNode();
            for (EventType<?> t : types) {
                ObjectNode m = messages.putObject(t.type());
                m.put("name", t.type());
                m.put("title", t.type());
                m.put("summary", t.description());
                m.put("contentType", "application/json");
                m.set("headers", cloudEventsHeaders(t, topic));
                m.set("payload", payload(t, schemas));
                m.putObject("bindings").putObject("kafka").<ObjectNode>set("key", keySchema(topic))
                        .put("bindingVersion", KAFKA_BINDING);
                refs.putObject(t.type()).put("$ref", "#/components/messages/" + t.type());
                sendRefs.addObject().put("$ref", "#/channels/" + id + "/messages/" + t.type());
            }
            channel.putObject("bindings").set("kafka", topicBinding(topic.topicName(), topic.partitions(),
                    topic.configs()));
            ObjectNode send = operations.putObject("send" + capitalized(id));
            send.put("action", "send");
            send.putObject("channel").put("$ref", "#/channels/" + id);
            send.put("summary", "Lifeboat publishes on " + topic.topicName() + ".");
            send.set("messages", sendRefs);

            String dlqId = id + "Dlq";
            ObjectNode dlq = channels.putObject(dlqId);
            dlq.put("address", topic.dlqName());
            dlq.put("title", topic.dlqName());
            dlq.put("description", "Dead letters of " + topic.topicName() + " (one partition, 14 days). Several"
                    + " services consume the topic and share this DLQ: dead-letter-service names which.");
            dlq.putObject("messages").putObject("deadLetter").put("$ref", "#/components/messages/deadLetter");
            dlq.putObject("bindings").set("kafka", topicBinding(topic.dlqName(), 1, Topic.dlqConfigs()));
            ObjectNode sendDlq = operations.putObject("send" + capitalized(dlqId));
            sendDlq.put("action", "send");
            sendDlq.putObject("channel").put("$ref", "#/channels/" + dlqId);
            sendDlq.put("summary", "A Lifeboat consumer sets aside a record of " + topic.topicName() + ".");
            sendDlq.putArray("messages").addObject().put("$ref", "#/channels/" + dlqId + "/messages/deadLetter");
        }
        ObjectNode s = components.putObject("schemas");
        schemas.forEach(s::set);
        return doc;
    }

    private static String channelId(Topic topic) {
        StringBuilder sb = new StringBuilder();
        for (String part : topic.name().toLowerCase().split("_")) {
            sb.append(sb.isEmpty() ? part : capitalized(part));
        }
        return sb.toString();
    }

    private static String capitalized(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static ObjectNode topicBinding(String name, int partitions, Map<String, String> configs) {
        ObjectNode b = F.objectNode();
        b.put("topic", name);
        b.put("partitions", partitions);
        ObjectNode c = b.putObject("topicConfiguration");
        c.putArray("cleanup.policy").add(configs.get("cleanup.policy"));
        if (configs.containsKey("retention.ms")) {
            c.put("retention.ms", Long.parseLong(configs.get("retention.ms")));
        }
        b.put("bindingVersion", KAFKA_BINDING);
        return b;
    }

    private static ObjectNode keySchema(Topic topic) {
        ObjectNode k = F.objectNode();
        k.put("type", "string");
        k.put("description", "The " + topic.key() + ".");
        return k;
    }

    private static ObjectNode cloudEventsHeaders(EventType<?> t, Topic topic) {
        ObjectNode h = F.objectNode();
        h.put("type", "object");
        ObjectNode p = h.putObject("properties");
        header(p, "ce_specversion", "CloudEvents version.").putArray("enum").add("1.0");
        header(p, "ce_id", "The event's id: consumers are idempotent on it (UUID v7 from Lifeboat).")
                .put("maxLength", 128);
        header(p, "ce_type", "The event type.").putArray("enum").add(t.type());
        header(p, "ce_source", "The service and component that produced it, e.g. /lifeboat/collector/ovirt-1.");
        header(p, "ce_time", "When it happened (RFC 3339).").put("format", "date-time");
        header(p, "ce_subject", "The entity the event is about (its key).");
        header(p, "content-type", "application/json.");
        h.putArray("required").add("ce_specversion").add("ce_id").add("ce_type").add("ce_source").add("ce_time");
        h.put("description", "CloudEvents 1.0 attributes in Kafka binary mode, on " + topic.topicName() + ".");
        return h;
    }

    private static ObjectNode deadLetterHeaders() {
        ObjectNode h = F.objectNode();
        h.put("type", "object");
        ObjectNode p = h.putObject("properties");
        header(p, DeadLetters.REASON, "Why the record could not be processed, in words.");
        header(p, DeadLetters.REASON_CODE, "decode, contract, data or processing.").putArray("enum")
                .add("decode").add("contract").add("data").add("processing");
        header(p, DeadLetters.SERVICE, "The consuming service that gave up on it.");
        header(p, DeadLetters.CHANNEL, "The consuming channel.");
        header(p, DeadLetters.TOPIC, "The original topic.");
        header(p, DeadLetters.PARTITION, "The original partition.");
        header(p, DeadLetters.OFFSET, "The original offset.");
        header(p, DeadLetters.EXCEPTION, "The exception's class, when one was thrown.");
        h.putArray("required").add(DeadLetters.REASON).add(DeadLetters.REASON_CODE).add(DeadLetters.SERVICE)
                .add(DeadLetters.TOPIC).add(DeadLetters.PARTITION).add(DeadLetters.OFFSET);
        h.put("description", "The original record's headers (ce_* included) plus these.");
        return h;
    }

    private static ObjectNode header(ObjectNode properties, String name, String description) {
        ObjectNode o = properties.putObject(name);
        o.put("type", "string");
        o.put("description", description);
        return o;
    }

    /**
     * The event's JSON Schema as an AsyncAPI schema: the shared definitions moved to components.schemas (refs
     * rewritten), the draft's $schema and $id left out. Two event types defining one name differently is an error.
     */
    private static JsonNode payload(EventType<?> t, Map<String, JsonNode> schemas) {
        ObjectNode schema = EventSchemas.schemaFor(t).deepCopy();
        schema.remove("$schema");
        schema.remove("$id");
        JsonNode defs = schema.remove("$defs");
        if (defs != null) {
            Iterator<Map.Entry<String, JsonNode>> it = defs.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode def = rewriteRefs(e.getValue().deepCopy());
                JsonNode before = schemas.putIfAbsent(e.getKey(), def);
                if (before != null && !before.equals(def)) {
                    throw new IllegalStateException("two event types define the schema " + e.getKey()
                            + " differently");
                }
            }
        }
        return rewriteRefs(schema);
    }

    private static JsonNode rewriteRefs(JsonNode node) {
        if (node instanceof ObjectNode o) {
            JsonNode ref = o.get("$ref");
            if (ref != null && ref.isTextual() && ref.asText().startsWith("#/$defs/")) {
                o.set("$ref", TextNode.valueOf("#/components/schemas/" + ref.asText().substring("#/$defs/".length())));
            }
            o.fields().forEachRemaining(e -> rewriteRefs(e.getValue()));
        } else if (node instanceof ArrayNode a) {
            a.forEach(AsyncApiDocument::rewriteRefs);
        }
        return node;
    }
}
