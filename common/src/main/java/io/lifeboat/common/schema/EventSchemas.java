package io.lifeboat.common.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.common.Nullable;
import io.lifeboat.common.event.EventType;
import io.lifeboat.common.event.EventTypes;
import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.id.SourceId;
import io.lifeboat.common.id.StorageDomainKey;
import io.lifeboat.common.id.VmKey;
import io.lifeboat.common.json.Json;
import io.lifeboat.common.lun.LunWwid;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Derives the JSON Schema (draft 2020-12) of each event type's data from its record, so the published contract and
 * the code cannot drift: the schemas committed under {@code src/main/resources/schemas/} are checked against this
 * by a test, and shipped in the jar for downstream consumers ({@code schemas/<type>.json} on the classpath).
 *
 * <p>Rules: every record component is required unless annotated {@link Nullable}; lists and maps are never required
 * (absent means empty); identifiers are strings with their parsing pattern; times are RFC 3339 strings. Extra
 * properties are allowed, because a minor version of an event may add fields.
 */
public final class EventSchemas {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Map<Class<?>, String> PATTERNS = Map.of(
            SourceId.class, SourceId.REGEX,
            HostKey.class, HostKey.REGEX,
            VmKey.class, VmKey.REGEX,
            StorageDomainKey.class, StorageDomainKey.REGEX,
            LunWwid.class, LunWwid.REGEX);

    private EventSchemas() {
    }

    public static String fileName(EventType<?> type) {
        return type.type() + ".schema.json";
    }

    public static ObjectNode schemaFor(EventType<?> type) {
        Map<String, JsonNode> defs = new TreeMap<>();
        ObjectNode root = F.objectNode();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.put("$id", "urn:lifeboat:schema:" + type.type());
        root.put("title", type.type());
        root.put("description", type.description() + " CloudEvents type '" + type.type() + "' on topic '"
                + type.topic().topicName() + "'.");
        root.setAll(recordSchema(type.dataClass(), defs));
        if (!defs.isEmpty()) {
            ObjectNode d = root.putObject("$defs");
            defs.forEach(d::set);
        }
        return root;
    }

    public static String render(EventType<?> type) {
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(schemaFor(type)) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes every schema into a folder; used to regenerate the committed copies. */
    public static void writeAll(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (EventType<?> t : EventTypes.all()) {
            Files.writeString(dir.resolve(fileName(t)), render(t));
        }
    }

    public static void main(String[] args) throws IOException {
        writeAll(Path.of(args.length > 0 ? args[0] : "common/src/main/resources/schemas"));
    }

    private static ObjectNode recordSchema(Class<?> record, Map<String, JsonNode> defs) {
        ObjectNode s = F.objectNode();
        s.put("type", "object");
        ObjectNode props = s.putObject("properties");
        ArrayNode required = F.arrayNode();
        for (RecordComponent c : record.getRecordComponents()) {
            JsonNode prop = typeSchema(c.getGenericType(), defs);
            boolean nullable = c.isAnnotationPresent(Nullable.class);
            boolean collection = Collection.class.isAssignableFrom(c.getType()) || Map.class.isAssignableFrom(c.getType());
            if (nullable) {
                ObjectNode any = F.objectNode();
                any.putArray("anyOf").add(prop).add(F.objectNode().put("type", "null"));
                prop = any;
            } else if (!collection) {
                required.add(c.getName());
            }
            props.set(c.getName(), prop);
        }
        if (!required.isEmpty()) {
            s.set("required", required);
        }
        return s;
    }

    private static JsonNode typeSchema(Type type, Map<String, JsonNode> defs) {
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            if (Collection.class.isAssignableFrom(raw)) {
                ObjectNode s = F.objectNode().put("type", "array");
                s.set("items", typeSchema(p.getActualTypeArguments()[0], defs));
                return s;
            }
            if (Map.class.isAssignableFrom(raw)) {
                ObjectNode s = F.objectNode().put("type", "object");
                s.set("additionalProperties", typeSchema(p.getActualTypeArguments()[1], defs));
                return s;
            }
            throw new IllegalArgumentException("no schema mapping for " + type);
        }
        Class<?> c = (Class<?>) type;
        if (c == String.class) {
            return F.objectNode().put("type", "string");
        }
        if (c == Instant.class) {
            return F.objectNode().put("type", "string").put("format", "date-time");
        }
        if (c == UUID.class) {
            return F.objectNode().put("type", "string").put("format", "uuid");
        }
        if (c == URI.class) {
            return F.objectNode().put("type", "string").put("format", "uri-reference");
        }
        if (c == boolean.class || c == Boolean.class) {
            return F.objectNode().put("type", "boolean");
        }
        if (c == int.class || c == Integer.class || c == long.class || c == Long.class) {
            return F.objectNode().put("type", "integer");
        }
        if (c == double.class || c == Double.class) {
            return F.objectNode().put("type", "number");
        }
        String pattern = PATTERNS.get(c);
        if (pattern != null) {
            return F.objectNode().put("type", "string").put("pattern", "^" + pattern + "$");
        }
        if (c.isEnum()) {
            ObjectNode s = F.objectNode().put("type", "string");
            ArrayNode values = s.putArray("enum");
            for (Object v : c.getEnumConstants()) {
                values.add(((Enum<?>) v).name());
            }
            return s;
        }
        if (c.isRecord()) {
            String name = c.getSimpleName();
            if (!defs.containsKey(name)) {
                defs.put(name, F.objectNode()); // placeholder: breaks recursion
                defs.put(name, recordSchema(c, defs));
            }
            return F.objectNode().put("$ref", "#/$defs/" + name);
        }
        throw new IllegalArgumentException("no schema mapping for " + c.getName());
    }
}
