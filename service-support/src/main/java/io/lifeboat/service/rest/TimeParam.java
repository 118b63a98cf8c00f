package io.lifeboat.service.rest;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Parses the {@code asOf}-style query parameters: RFC 3339 with a zone, e.g. {@code 2024-05-01T10:00:00Z}. */
public final class TimeParam {

    private TimeParam() {
    }

    /** Returns {@code fallback} when the text is absent. */
    public static Instant parse(String name, String text, Instant fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return OffsetDateTime.parse(text.strip()).toInstant();
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest("invalid-parameter", "query parameter '" + name + "' must be an RFC 3339"
                    + " time with a zone, e.g. 2024-05-01T10:00:00Z; got '" + text + "'");
        }
    }
}
