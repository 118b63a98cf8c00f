package io.lifeboat.mapping.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.lifeboat.service.rest.InputGuard;
import io.lifeboat.service.rest.ProblemException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The {@code after} of a paged listing: where the previous page ended. Opaque to callers; inside, base64url (no
 * padding) of a JSON array: the listing's name, then the full sort key of the last row returned, unique tie-breaker
 * included, so that the next page is a keyset read ({@code WHERE (key) < (cursor) ORDER BY key LIMIT n + 1}) that
 * neither skips nor repeats rows with equal times. Times are epoch microseconds (the history's precision).
 * <p>
 * Every query parameter is at most {@link InputGuard#MAX_LENGTH} characters, so a cursor must be too: a text in the
 * key that would make it longer (a key or disk id near its 320 or 255 characters) is carried as its MD5
 * ({@code {"md5": "<hex>"}}), and the listing finds the row it names again. Anything that does not decode to the
 * listing's own shape is a 400, never a 500.
 */
final class Cursor {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern MD5 = Pattern.compile("[0-9a-f]{32}");
    /** The times a cursor may hold: PostgreSQL's timestamptz goes further, Lifeboat's history does not. */
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    private final String listing;
    private final ArrayNode values;

    private Cursor(String listing, ArrayNode values) {
        this.listing = listing;
        this.values = values;
    }

    /** A text of the sort key: the text itself, or only its MD5 when it was too long to carry. */
    record Text(String value, String md5) {
        static Text of(String value) {
            return new Text(value, null);
        }
    }

    /**
     * The cursor of {@code listing} after a row with this sort key; values are {@link Instant}s, whole numbers,
     * {@link String}s or null (a part of the key that is absent).
     */
    static String encode(String listing, Object... key) {
        String full = encode(listing, key, false);
        return full.length() <= InputGuard.MAX_LENGTH ? full : encode(listing, key, true);
    }

    private static String encode(String listing, Object[] key, boolean digests) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        a.add(listing);
        for (Object v : key) {
            if (v == null) {
                a.addNull();
            } else if (v instanceof Instant t) {
                a.add(ChronoUnit.MICROS.between(Instant.EPOCH, t));
            } else if (v instanceof Long || v instanceof Integer) {
                a.add(((Number) v).longValue());
            } else if (v instanceof String s) {
                if (digests && s.length() > 32) {
                    a.addObject().put("md5", md5(s));
                } else {
                    a.add(s);
                }
            } else {
                throw new IllegalArgumentException("a cursor holds no " + v.getClass().getSimpleName());
            }
        }
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(a));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The cursor of {@code listing} in the query parameter {@code after}; null when absent. Its sort key must have
     * {@code size} parts.
     */
    static Cursor decode(String listing, String text, int size) {
        if (text == null) {
            return null;
        }
        if (text.isEmpty() || !BASE64URL.matcher(text).matches()) {
            throw invalid("it is not base64url text");
        }
        JsonNode node;
        try {
            node = JSON.readTree(Base64.getUrlDecoder().decode(text));
        } catch (IOException | IllegalArgumentException e) {
            throw invalid("it does not decode");
        }
        if (node == null || !node.isArray() || node.isEmpty() || !node.get(0).isTextual()) {
            throw invalid("it does not decode");
        }
        if (!listing.equals(node.get(0).asText())) {
            throw invalid("it belongs to another listing");
        }
        if (node.size() != size + 1) {
            throw invalid("it has " + (node.size() - 1) + " parts, not " + size);
        }
        return new Cursor(listing, (ArrayNode) node);
    }

    /** Whether part {@code i} (from 1) is null. */
    boolean isNull(int i) {
        return values.get(i).isNull();
    }

    /** Part {@code i} as a whole number. */
    long number(int i) {
        JsonNode v = values.get(i);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw invalid("part " + i + " is not a whole number");
        }
        return v.longValue();
    }

    /** Part {@code i} as a whole number from {@code min} to {@code max}. */
    int number(int i, int min, int max) {
        long n = number(i);
        if (n < min || n > max) {
            throw invalid("part " + i + " is out of range");
        }
        return (int) n;
    }

    /** Part {@code i} as a time (epoch microseconds). */
    Instant instant(int i) {
        long micros = number(i);
        Instant t = Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
        if (t.isBefore(EARLIEST) || t.isAfter(LATEST)) {
            throw invalid("part " + i + " is not a time of the history");
        }
        return t;
    }

    /** Part {@code i} as a text, or the MD5 of one. */
    Text text(int i) {
        JsonNode v = values.get(i);
        if (v.isTextual()) {
            String s = v.asText();
            if (s.indexOf('\0') >= 0) {
                throw invalid("part " + i + " is not a text of the history");   // PostgreSQL's text holds no NUL
            }
            return Text.of(s);
        }
        if (v.isObject() && v.size() == 1 && v.path("md5").isTextual() && MD5.matcher(v.get("md5").asText())
                .matches()) {
            return new Text(null, v.get("md5").asText());
        }
        throw invalid("part " + i + " is not a text");
    }

    @Override
    public String toString() {
        return listing + values;
    }

    /** The MD5 of a text's UTF-8 bytes in lower-case hex, as PostgreSQL's {@code md5(text)} gives it. */
    static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(
                    StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static ProblemException invalid(String why) {
        return ProblemException.badRequest("invalid-parameter", "query parameter 'after' is not a cursor of this"
                + " listing: " + why + "; pass the X-Next-Cursor (or the Link rel=\"next\") of the previous page"
                + " unchanged, or leave 'after' out for the first page");
    }
}
