package io.lifeboat.common.id;

/** Parsing shared by the {@code <source>/<local id>} keys. */
final class ScopedIds {

    /** A local id: printable, no whitespace, no '/', at most 255 characters. */
    static final String LOCAL_REGEX = "[^/\\s]{1,255}";

    private ScopedIds() {
    }

    static String[] split(String text, String what) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("invalid " + what + " '" + text + "': expected '<source>/<id>'");
        }
        if (text.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException("invalid " + what + " '" + text + "': more than one '/'");
        }
        return new String[] {text.substring(0, slash), text.substring(slash + 1)};
    }

    static String checkLocal(String local, String what, String full) {
        if (local == null || local.isEmpty()) {
            throw new IllegalArgumentException("invalid " + what + " '" + full + "': the id after '/' is empty");
        }
        if (local.length() > 255) {
            throw new IllegalArgumentException("invalid " + what + " '" + full + "': the id is longer than 255 characters");
        }
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            if (c == '/' || Character.isWhitespace(c) || Character.isISOControl(c)) {
                throw new IllegalArgumentException("invalid " + what + " '" + full
                        + "': the id must not contain '/', whitespace or control characters");
            }
        }
        return local;
    }

    static SourceId source(String source, String what, String full) {
        try {
            return new SourceId(source);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid " + what + " '" + full + "': " + e.getMessage(), e);
        }
    }
}
