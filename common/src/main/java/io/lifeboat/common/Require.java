package io.lifeboat.common;

import java.util.List;
import java.util.Map;

/** Argument checks for event records; the messages name the field so a decoding error can point at it. */
public final class Require {

    private Require() {
    }

    public static <T> T field(T value, String name) {
        if (value == null) {
            throw new MissingFieldException(name);
        }
        return value;
    }

    public static String text(String value, String name) {
        field(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException("field '" + name + "' must not be blank");
        }
        return value;
    }

    /** Collections are never null in an event: absent means empty. */
    public static <T> List<T> list(List<T> value) {
        return value == null ? List.of() : List.copyOf(value);
    }

    public static <K, V> Map<K, V> map(Map<K, V> value) {
        return value == null ? Map.of() : Map.copyOf(value);
    }

    public static int nonNegative(int value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException("field '" + name + "' must not be negative, was " + value);
        }
        return value;
    }

    /** A required field is missing; {@link #field()} names it. */
    public static final class MissingFieldException extends IllegalArgumentException {
        private final String field;

        public MissingFieldException(String field) {
            super("missing required field '" + field + "'");
            this.field = field;
        }

        public String field() {
            return field;
        }
    }
}
