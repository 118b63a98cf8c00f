package io.lifeboat.service.rest;

import jakarta.ws.rs.core.UriInfo;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Parameters of actions that change the world (evacuate, fence, replay) are read strictly (DESIGN.md, "strict at the
 * edges"): a boolean is exactly {@code true} or {@code false}, a parameter is given at most once, and a parameter the
 * action does not know is refused rather than ignored, so that {@code dryRun=yes}, {@code dryRun=1} or a misspelt
 * {@code dryrun=true} is a 400 naming it, never the destructive default.
 */
public final class StrictParams {

    private StrictParams() {
    }

    /** The query parameter {@code name} as a boolean; {@code fallback} when it is absent. */
    public static boolean bool(UriInfo uri, String name, boolean fallback) {
        List<String> values = uri.getQueryParameters().get(name);
        if (values == null || values.isEmpty()) {
            return fallback;
        }
        if (values.size() > 1) {
            throw ProblemException.badRequest("invalid-parameter", "query parameter '" + name
                    + "' is given " + values.size() + " times; give it once, as true or false");
        }
        return bool(name, values.get(0), fallback);
    }

    /** A boolean parameter's text: {@code null} is the fallback; anything but true or false is a 400. */
    public static boolean bool(String name, String text, boolean fallback) {
        if (text == null) {
            return fallback;
        }
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ProblemException.badRequest("invalid-parameter", "query parameter '" + name
                    + "' must be true or false; got '" + shown(text) + "'");
        };
    }

    /** Refuses any query parameter outside {@code allowed}. */
    public static void only(UriInfo uri, String... allowed) {
        Set<String> unknown = new TreeSet<>(uri.getQueryParameters().keySet());
        unknown.removeAll(Set.of(allowed));
        if (!unknown.isEmpty()) {
            throw ProblemException.badRequest("unknown-parameter", "unknown query parameter(s) "
                    + unknown.stream().map(u -> "'" + shown(u) + "'").toList() + "; this action takes "
                    + (allowed.length == 0 ? "none" : String.join(", ", allowed)));
        }
    }

    private static String shown(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }
}
