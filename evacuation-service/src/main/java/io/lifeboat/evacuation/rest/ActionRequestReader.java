package io.lifeboat.evacuation.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import io.lifeboat.common.id.Identifiers;

import java.io.IOException;
import java.util.Iterator;
import java.util.Set;

/**
 * Reads an operator action's body strictly (DESIGN.md, "strict at the edges"): a JSON object whose only fields are
 * {@code confirmFenced} (the literal true or false: Jackson would take {@code 1} or {@code "yes"} for true),
 * {@code targetHost} (a host id: the one identifier pattern, {@link Identifiers}) and {@code reason} (a string). A field the action does not know, {@code dryRun} among them (it is
 * a query parameter), is refused rather than ignored. Each refusal names the field; the mapper answers 400.
 */
final class ActionRequestReader extends JsonDeserializer<RecoveryResource.ActionRequest> {

    private static final Set<String> FIELDS = Set.of("confirmFenced", "targetHost", "reason");
    private static final int MAX_TEXT = 1000;

    @Override
    public RecoveryResource.ActionRequest deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        JsonNode n = p.readValueAsTree();
        if (n == null || n.isNull()) {
            return new RecoveryResource.ActionRequest(null, null, null);
        }
        if (!n.isObject()) {
            return ctxt.reportInputMismatch(RecoveryResource.ActionRequest.class,
                    "the body must be a JSON object with confirmFenced, targetHost or reason; got %s", kind(n));
        }
        for (Iterator<String> names = n.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                return ctxt.reportInputMismatch(RecoveryResource.ActionRequest.class,
                        "unknown field '%s'; an action's body takes confirmFenced, targetHost and reason%s",
                        shown(name), "dryRun".equalsIgnoreCase(name) ? " (dryRun is a query parameter)" : "");
            }
        }
        JsonNode fenced = n.get("confirmFenced");
        if (fenced != null && !fenced.isNull() && !fenced.isBoolean()) {
            return ctxt.reportInputMismatch(RecoveryResource.ActionRequest.class,
                    "'confirmFenced' must be the JSON literal true or false; got %s", shown(fenced.toString()));
        }
        String target = text(ctxt, n, "targetHost");
        if (target != null) {
            String why = Identifiers.idProblem(target).orElse(null);
            if (why != null) {
                return ctxt.reportInputMismatch(RecoveryResource.ActionRequest.class, "'targetHost' %s", why);
            }
        }
        return new RecoveryResource.ActionRequest(fenced == null || fenced.isNull() ? null : fenced.booleanValue(),
                target, text(ctxt, n, "reason"));
    }

    private static String text(DeserializationContext ctxt, JsonNode n, String field) throws IOException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            return ctxt.reportInputMismatch(RecoveryResource.ActionRequest.class,
                    "'%s' must be a string; got %s", field, kind(v));
        }
        if (v.textValue().length() > MAX_TEXT) {
            return ctxt.reportInputMismatch(RecoveryResource.ActionRequest.class,
                    "'%s' is longer than %d characters", field, MAX_TEXT);
        }
        return v.textValue();
    }

    private static String kind(JsonNode n) {
        return n.getNodeType().name().toLowerCase();
    }

    private static String shown(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }
}
