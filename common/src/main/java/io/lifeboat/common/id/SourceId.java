package io.lifeboat.common.id;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.regex.Pattern;

/**
 * Names one configured cloud source: an oVirt engine or an OpenStack region, e.g. {@code ovirt-dc1}, {@code os-region1}.
 * Lower case letters, digits, '-', '_' and '.', starting with a letter or digit, at most 63 characters; no '/' because
 * it is the separator in {@link HostKey} and {@link VmKey}.
 */
public record SourceId(String value) implements Comparable<SourceId> {

    public static final String REGEX = "[a-z0-9][a-z0-9._-]{0,62}";
    private static final Pattern PATTERN = Pattern.compile(REGEX);

    public SourceId {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("source id must not be empty");
        }
        if (!PATTERN.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid source id '" + value
                    + "': use 1-63 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static SourceId of(String value) {
        return new SourceId(value);
    }

    @JsonValue
    @Override
    public String toString() {
        return value;
    }

    @Override
    public int compareTo(SourceId o) {
        return value.compareTo(o.value);
    }
}
