package io.lifeboat.mapping.rest;

import io.lifeboat.service.rest.ProblemException;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.RestResponse;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Cursor paging of the history listings and the search: {@code limit} rows per page and {@code after}, the
 * {@link Cursor} of the previous page's last row. A page read {@code limit + 1} rows; when the extra one came, there is
 * a next page and its cursor is in {@value #NEXT_CURSOR} and in an RFC 8288 {@code Link: <…>; rel="next"}.
 */
final class Paging {

    static final int DEFAULT_LIMIT = 200;
    static final int MAX_LIMIT = 1000;
    static final String NEXT_CURSOR = "X-Next-Cursor";

    static final String LIMIT_DOC = "Rows per page: a whole number from 1 to 1000, default 200; anything else is a"
            + " 400 invalid-limit";
    static final String AFTER_DOC = "Where the previous page ended: its X-Next-Cursor (also in its Link rel=\"next\"),"
            + " unchanged; leave it out for the first page. Opaque; one that is not a cursor of this listing is a 400"
            + " invalid-parameter";
    static final String LINK_DOC = "RFC 8288 link to the next page: this path and query with after=<cursor>; absent on"
            + " the last page";
    static final String NEXT_CURSOR_DOC = "The cursor of the next page, for after=; absent on the last page";

    private static final Pattern WHOLE = Pattern.compile("[0-9]{1,9}");

    private Paging() {
    }

    /** The query parameter {@code limit}: absent is the default; anything but 1 to 1000 (empty too) is a 400. */
    static int limit(UriInfo uri) {
        String text = once(uri, "limit");
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        int n = WHOLE.matcher(text).matches() ? Integer.parseInt(text) : -1;
        if (n < 1 || n > MAX_LIMIT) {
            throw ProblemException.badRequest("invalid-limit", "query parameter 'limit' must be a whole number from 1"
                    + " to " + MAX_LIMIT + "; got '" + (text.length() > 40 ? text.substring(0, 40) + "…" : text)
                    + "'");
        }
        return n;
    }

    /** The query parameter {@code after} as given (empty too, which no cursor is), or null when absent. */
    static String after(UriInfo uri) {
        return once(uri, "after");
    }

    /** A query parameter given at most once: which of two limits or cursors was meant is not for us to guess. */
    private static String once(UriInfo uri, String name) {
        List<String> values = uri.getQueryParameters().get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw ProblemException.badRequest("invalid-parameter", "query parameter '" + name + "' is given "
                    + values.size() + " times; give it once");
        }
        return values.get(0);
    }

    /** The first {@code limit} of {@code rows} (read with limit + 1), and the cursor after them if more came. */
    record Page<T>(List<T> rows, String next) {
        static <T> Page<T> of(List<T> rows, int limit, Function<T, String> cursor) {
            if (rows.size() <= limit) {
                return new Page<>(rows, null);
            }
            List<T> page = rows.subList(0, limit);
            return new Page<>(page, cursor.apply(page.get(limit - 1)));
        }
    }

    /** {@code body} with the headers that lead to the next page, if there is one. */
    static <T> RestResponse<T> respond(T body, String next, UriInfo uri) {
        RestResponse.ResponseBuilder<T> r = RestResponse.ResponseBuilder.ok(body);
        if (next != null) {
            r.header("Link", "<" + nextPage(uri.getRequestUri(), next) + ">; rel=\"next\"").header(NEXT_CURSOR, next);
        }
        return r.build();
    }

    /**
     * The request's path and query with {@code after} set to the cursor: a reference relative to the request, so it
     * holds whatever host name the caller used.
     */
    static String nextPage(URI request, String cursor) {
        StringBuilder b = new StringBuilder(request.getRawPath()).append('?');
        if (request.getRawQuery() != null) {
            for (String p : request.getRawQuery().split("&")) {
                if (!p.isEmpty() && !"after".equals(name(p))) {
                    b.append(p).append('&');
                }
            }
        }
        return b.append("after=").append(cursor).toString();
    }

    private static String name(String parameter) {
        String raw = parameter.split("=", 2)[0];
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return raw;
        }
    }
}
