package io.lifeboat.service.rest;

import io.lifeboat.common.id.Identifiers;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MultivaluedMap;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The one input check every operation of every service passes before its resource method runs ("strict at the edges"):
 * no path or query parameter may contain a control character (NUL among them: PostgreSQL refuses it in text, so it
 * used to surface as a 500) and none may be longer than {@value #MAX_LENGTH} characters, the most any column that
 * stores or looks up an identifier, name or filter holds. A violation is a 400 {@code invalid-parameter} naming the
 * parameter.
 * <p>
 * Parameters that name a host, a VM or a hypervisor ({@link #ID_PARAMETERS} in a path, {@link #KEY_OR_ID_PARAMETERS}
 * in a query, where a key {@code <source>/<id>} is taken too) must follow the one identifier pattern of
 * {@link Identifiers}, so every service refuses "a b", "../../etc/passwd" or a CR/LF alike, with the rule in the
 * answer. Resources still check what is theirs (source ids, ranges, enums, times); this is the floor beneath them.
 */
public class InputGuard {

    /** The longest path or query parameter any operation accepts (the identifier columns are varchar(255)). */
    public static final int MAX_LENGTH = 255;

    /** Path parameters that are a host, VM or hypervisor id. */
    static final Set<String> ID_PARAMETERS = Set.of("host", "hostId", "vm", "vmId", "hypervisor");
    /** Query parameters that filter by a host, VM, hypervisor or audit target: a key or an id. */
    static final Set<String> KEY_OR_ID_PARAMETERS = Set.of("host", "vm", "hypervisor", "target");

    @ServerRequestFilter
    public void check(ContainerRequestContext request) {
        MultivaluedMap<String, String> path = request.getUriInfo().getPathParameters(true);
        for (Map.Entry<String, List<String>> e : path.entrySet()) {
            for (String v : e.getValue()) {
                check("path parameter '" + e.getKey() + "'", v);
                if (ID_PARAMETERS.contains(e.getKey())) {
                    identifier("path parameter '" + e.getKey() + "'", v, Identifiers::idProblem);
                }
            }
        }
        MultivaluedMap<String, String> query = request.getUriInfo().getQueryParameters(true);
        for (Map.Entry<String, List<String>> e : query.entrySet()) {
            check("the name of a query parameter", e.getKey());
            for (String v : e.getValue()) {
                check("query parameter '" + e.getKey() + "'", v);
                if (KEY_OR_ID_PARAMETERS.contains(e.getKey()) && !v.isEmpty()) {
                    identifier("query parameter '" + e.getKey() + "'", v, Identifiers::keyOrIdProblem);
                }
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

    /** Throws a 400 naming {@code what} and the identifier rule if {@code value} does not follow it. */
    private static void identifier(String what, String value, Function<String, Optional<String>> rule) {
        rule.apply(value).ifPresent(why -> {
            throw ProblemException.badRequest("invalid-parameter", what + " " + why);
        });
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
