package io.lifeboat.common.id;

/** Parsing shared by the {@code <source>/<local id>} keys. */
final class ScopedIds {

    /** A local id: {@link Identifiers#ID_REGEX}. */
    static final String LOCAL_REGEX = Identifiers.ID_REGEX;

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
        Identifiers.idProblem(local).ifPresent(why -> {
            throw new IllegalArgumentException("invalid " + what + " '" + clip(full) + "': the id after '/' " + why);
        });
        return local;
    }

    /** At most 80 characters of an input, for a message (a 1 MB id must not come back in full). */
    static String clip(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "…";
    }

    static SourceId source(String source, String what, String full) {
        try {
            return new SourceId(source);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid " + what + " '" + full + "': " + e.getMessage(), e);
        }
    }
}
