package io.lifeboat.service.rest;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * An RFC 9457 problem detail, the body of every REST error ({@code application/problem+json}). {@code type} is
 * stable and documented; {@code detail} is for humans.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance,
                      List<Violation> violations) {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String PREFIX = "urn:lifeboat:problem:";

    public static Problem of(String slug, String title, int status, String detail) {
        return new Problem(PREFIX + slug, title, status, detail, null, null);
    }

    public Problem withInstance(String path) {
        return new Problem(type, title, status, detail, path, violations);
    }

    public Problem withViolations(List<Violation> v) {
        return new Problem(type, title, status, detail, instance, v);
    }

    /** One invalid input: which parameter or field, and why. */
    public record Violation(String field, String message) {
    }
}
