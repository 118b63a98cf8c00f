package io.lifeboat.common.id;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one pattern every host, VM and hypervisor id follows, wherever it enters Lifeboat (a cloud's inventory, an
 * event, a path or query parameter, a request body), documented in the README under "Identifiers":
 * <ul>
 *   <li>an <em>id</em> (an oVirt host or VM UUID, a Nova compute service host, a Nova instance UUID, a hypervisor
 *       host name) is 1 to {@value #MAX_ID} characters, none of them '/', a control, format or surrogate character
 *       (Unicode Cc, Cf, Cs) or a space or other separator (Unicode Z);</li>
 *   <li>a <em>key</em> is {@code <source>/<id>}, the source following {@link SourceId#REGEX}; at most
 *       {@value #MAX_KEY} characters, which every key column holds.</li>
 * </ul>
 * Real ids are UUIDs and DNS names (at most 253 characters), so the pattern refuses nothing a cloud produces; what it
 * refuses (NUL, CR/LF, "a b", 1 MB) would otherwise reach a database column or a log line.
 */
public final class Identifiers {

    /** The longest id; the {@code *_id} columns are {@code varchar(255)}. */
    public static final int MAX_ID = 255;
    /** The longest key: a 63-character source, '/', a 255-character id; the {@code *_key} columns hold it. */
    public static final int MAX_KEY = 63 + 1 + MAX_ID;

    /** An id, as a regular expression (Java syntax; the same in ECMAScript with the {@code u} flag). */
    public static final String ID_REGEX = "[^/\\p{Cc}\\p{Cf}\\p{Cs}\\p{Z}]{1," + MAX_ID + "}";
    /** A key ({@code <source>/<id>}) or a bare id, as query filters take either. */
    public static final String KEY_OR_ID_REGEX = "(?:" + SourceId.REGEX + "/)?" + ID_REGEX;

    private static final Pattern ID = Pattern.compile(ID_REGEX);
    private static final Pattern KEY_OR_ID = Pattern.compile(KEY_OR_ID_REGEX);

    /** What an id is, for error messages. */
    public static final String ID_RULE = "1-" + MAX_ID + " characters, none of them '/', a control or format"
            + " character or a space";

    private Identifiers() {
    }

    /** Why {@code value} is not an id, or empty if it is one. */
    public static Optional<String> idProblem(String value) {
        return problem(value, ID, ID_RULE);
    }

    /** Why {@code value} is neither a key ({@code <source>/<id>}) nor an id, or empty if it is one of them. */
    public static Optional<String> keyOrIdProblem(String value) {
        return problem(value, KEY_OR_ID, "an id (" + ID_RULE + ") or a key '<source>/<id>'");
    }

    private static Optional<String> problem(String value, Pattern pattern, String rule) {
        if (value == null || value.isEmpty()) {
            return Optional.of("is empty; expected " + rule);
        }
        if (pattern.matcher(value).matches()) {
            return Optional.empty();
        }
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            int type = Character.getType(cp);
            if (cp != '/' && (type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
                    || type == Character.SPACE_SEPARATOR || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR)) {
                return Optional.of("contains U+" + String.format("%04X", cp) + " at position " + i + "; expected "
                        + rule);
            }
            i += Character.charCount(cp);
        }
        if (value.length() > MAX_KEY) {
            return Optional.of("is " + value.length() + " characters long; expected " + rule);
        }
        int slash = value.lastIndexOf('/');
        int idLength = value.length() - slash - 1;
        if (idLength > MAX_ID) {
            return Optional.of((slash < 0 ? "is " : "has an id of ") + idLength + " characters; expected " + rule);
        }
        return Optional.of("is not " + rule);
    }
}
