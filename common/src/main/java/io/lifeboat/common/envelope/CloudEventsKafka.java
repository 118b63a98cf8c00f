package io.lifeboat.common.envelope;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.lifeboat.common.Require;
import io.lifeboat.common.event.EventType;
import io.lifeboat.common.event.EventTypes;
import io.lifeboat.common.json.Json;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * CloudEvents 1.0, Kafka protocol binding, binary content mode: attributes in {@code ce_*} headers, the data as the
 * record value with {@code content-type: application/json}, the partition key as the record key.
 */
public final class CloudEventsKafka {

    public static final String SPEC_VERSION = "1.0";
    public static final String H_SPECVERSION = "ce_specversion";
    public static final String H_ID = "ce_id";
    public static final String H_SOURCE = "ce_source";
    public static final String H_TYPE = "ce_type";
    public static final String H_TIME = "ce_time";
    public static final String H_SUBJECT = "ce_subject";
    public static final String H_CONTENT_TYPE = "content-type";
    public static final String JSON = "application/json";

    private CloudEventsKafka() {
    }

    // ---------------------------------------------------------------- encoding

    public static List<Header> headers(EventEnvelope<?> e) {
        return headers(e.id(), e.source().toString(), e.type().type(), e.time(), e.subject());
    }

    /** The headers of an event whose data is already JSON (an outbox row): the attributes one by one. */
    public static List<Header> headers(String id, String source, String type, Instant time, String subject) {
        List<Header> h = new ArrayList<>(7);
        h.add(header(H_SPECVERSION, SPEC_VERSION));
        h.add(header(H_ID, id));
        h.add(header(H_SOURCE, source));
        h.add(header(H_TYPE, type));
        h.add(header(H_TIME, DateTimeFormatter.ISO_INSTANT.format(time)));
        h.add(header(H_SUBJECT, subject));
        h.add(header(H_CONTENT_TYPE, JSON));
        return h;
    }

    public static byte[] data(EventEnvelope<?> e) {
        try {
            return Json.mapper().writeValueAsBytes(e.data());
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot serialise " + e.type().type() + ": " + ex.getMessage(), ex);
        }
    }

    /** The record for the event's topic, keyed as the catalogue says. */
    public static ProducerRecord<String, byte[]> toRecord(EventEnvelope<?> e) {
        return new ProducerRecord<>(e.type().topic().topicName(), null, e.key(), data(e), headers(e));
    }

    private static Header header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------- decoding

    /**
     * Decodes a record of any registered type.
     *
     * @throws EventDecodingException naming the missing header, the unknown type, or the missing / invalid field
     */
    public static EventEnvelope<?> decode(Headers headers, byte[] value) {
        String id = optional(headers, H_ID);
        String typeName = optional(headers, H_TYPE);
        String specVersion = required(headers, H_SPECVERSION, id, typeName);
        if (!SPEC_VERSION.equals(specVersion)) {
            throw fail("unsupported CloudEvents spec version '" + specVersion + "' (expected 1.0)", id, typeName, null);
        }
        id = required(headers, H_ID, id, typeName);
        typeName = required(headers, H_TYPE, id, typeName);
        String sourceText = required(headers, H_SOURCE, id, typeName);
        String timeText = required(headers, H_TIME, id, typeName);
        String subject = required(headers, H_SUBJECT, id, typeName);
        String contentType = optional(headers, H_CONTENT_TYPE);
        if (contentType != null && !contentType.toLowerCase().startsWith(JSON)) {
            throw fail("unsupported content-type '" + contentType + "' (expected application/json)", id, typeName,
                    null);
        }
        String finalId = id;
        String finalType = typeName;
        EventType<?> type = EventTypes.byType(typeName).orElseThrow(() -> fail("unknown event type '" + finalType
                + "' (known: " + EventTypes.all().stream().map(EventType::type).collect(Collectors.joining(", "))
                + ")", finalId, finalType, null));
        URI source;
        try {
            source = new URI(sourceText);
        } catch (URISyntaxException e) {
            throw fail("header 'ce_source' is not a URI reference: " + e.getMessage(), id, typeName, e);
        }
        Instant time;
        try {
            time = OffsetDateTime.parse(timeText, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw fail("header 'ce_time' is not an RFC 3339 timestamp: '" + timeText + "'", id, typeName, e);
        }
        if (value == null || value.length == 0) {
            throw fail("the record has no data", id, typeName, null);
        }
        return envelope(type, id, source, time, subject, value);
    }

    /** Decodes and checks the type is the expected one. */
    public static <T> EventEnvelope<T> decode(Headers headers, byte[] value, EventType<T> expected) {
        EventEnvelope<?> e = decode(headers, value);
        if (e.type() != expected) {
            throw fail("expected event type '" + expected.type() + "' but got '" + e.type().type() + "'", e.id(),
                    e.type().type(), null);
        }
        @SuppressWarnings("unchecked")
        EventEnvelope<T> typed = (EventEnvelope<T>) e;
        return typed;
    }

    /** A compacted topic's delete marker: a key with no value. */
    public static boolean isTombstone(byte[] value) {
        return value == null;
    }

    private static <T> EventEnvelope<T> envelope(EventType<T> type, String id, URI source, Instant time,
                                                 String subject, byte[] value) {
        T data;
        try {
            data = Json.mapper().readValue(value, type.dataClass());
        } catch (JacksonException e) {
            throw fail(describe(e), id, type.type(), e);
        } catch (java.io.IOException e) {
            throw fail("unreadable data: " + e.getMessage(), id, type.type(), e);
        }
        if (data == null) {
            throw fail("the data is JSON null", id, type.type(), null);
        }
        return new EventEnvelope<>(id, source, type, time, subject, data);
    }

    /** Turns Jackson's exception into "field 'disks[0].lun.wwid': ..." with the path and the root cause. */
    static String describe(JacksonException e) {
        String path = e instanceof JsonMappingException jme ? path(jme.getPath()) : "";
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof Require.MissingFieldException missing) {
            return "missing required field '" + join(path, missing.field()) + "'";
        }
        if (root instanceof IllegalArgumentException iae) {
            return path.isEmpty() ? "invalid data: " + iae.getMessage()
                    : "field '" + path + "': " + iae.getMessage();
        }
        if (e instanceof InvalidFormatException ife && ife.getTargetType() != null
                && ife.getTargetType().isEnum()) {
            return "field '" + path + "': '" + ife.getValue() + "' is not one of "
                    + Arrays.toString(ife.getTargetType().getEnumConstants());
        }
        if (e instanceof MismatchedInputException && e.getOriginalMessage().contains("null")) {
            return "missing required field '" + path + "'";
        }
        if (e instanceof DatabindException) {
            return (path.isEmpty() ? "" : "field '" + path + "': ") + e.getOriginalMessage();
        }
        return "data is not valid JSON: " + e.getOriginalMessage();
    }

    private static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String join(String path, String field) {
        // A record constructor's failure carries the path of the record, not of the field.
        return path.isEmpty() ? field : path + "." + field;
    }

    private static String optional(Headers headers, String name) {
        Header h = headers == null ? null : headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static String required(Headers headers, String name, String id, String type) {
        String v = optional(headers, name);
        if (v == null || v.isBlank()) {
            throw fail("missing CloudEvents header '" + name + "'", id, type, null);
        }
        return v;
    }

    private static EventDecodingException fail(String reason, String id, String type, Throwable cause) {
        String where = type == null ? "record" : type + " event" + (id == null ? "" : " " + id);
        return new EventDecodingException(where + ": " + reason, id, type, cause);
    }
}
