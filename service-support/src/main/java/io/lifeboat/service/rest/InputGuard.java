package io.lifeboat.service.rest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MultivaluedMap;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.List;
import java.util.Map;

/**
 * The one input check every operation of every service passes before its resource method runs ("strict at the edges"):
 * no path or query parameter may contain a control character (NUL among them: PostgreSQL refuses it in text, so it
 * used to surface as a 500) and none may be longer than {@value #MAX_LENGTH} characters, the most any column that
 * stores or looks up an identifier, name or filter holds. A violation is a 400 {@code invalid-parameter} naming the
 * parameter. Resources still check what is theirs (patterns, ranges, enums); this is the floor beneath them.
 */
public class InputGuard {

    /** The longest path or query parameter any operation accepts (the identifier columns are varchar(255)). */
    public static final int MAX_LENGTH = 255;

    @ServerRequestFilter
    public void check(ContainerRequestContext request) {
        MultivaluedMap<String, String> path = request.getUriInfo().getPathParameters(true);
        for (Map.Entry<String, List<String>> e : path.entrySet()) {
            for (String v : e.getValue()) {
                check("path parameter '" + e.getKey() + "'", v);
            }
        }
        MultivaluedMap<String, String> query = request.getUriInfo().getQueryParameters(true);
        for (Map.Entry<String, List<String>> e : query.entrySet()) {
            check("the name of a query parameter", e.getKey());
            for (String v : e.getValue()) {
                check("query parameter '" + e.getKey() + "'", v);
            }
        }
    }

    /** Throws a 400 naming {@code what} if {@code value} is too long or holds a control character. */
    public static void check(String what, String value) {
        String problem = problem(value);
        if (problem != null) {
            throw ProblemException.badRequest("invalid-parameter", what + " " + problem);
        }
    }

    /** Why {@code value} is refused, or {@code null} if it is acceptable. */
    public static String problem(String value) {
        if (value == null) {
            return null;
        }
        if (value.length() > MAX_LENGTH) {
            return "is " + value.length() + " characters long; at most " + MAX_LENGTH + " are accepted";
        }
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch < 0x20 || ch == 0x7f || (ch >= 0x80 && ch < 0xa0)) {
                return "contains the control character U+" + String.format("%04X", (int) ch) + " at position " + i
                        + "; control characters are not accepted";
            }
        }
        return null;
    }
}
