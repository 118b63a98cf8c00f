package io.lifeboat.common.id;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Objects;

/**
 * Identifies an oVirt storage domain across sources: {@code <sourceId>/<storageDomainId>}.
 */
public record StorageDomainKey(SourceId source, String domainId) implements Comparable<StorageDomainKey> {

    /** The JSON Schema pattern of the text form. */
    public static final String REGEX = SourceId.REGEX + "/" + ScopedIds.LOCAL_REGEX;

    public StorageDomainKey {
        Objects.requireNonNull(source, "source");
        ScopedIds.checkLocal(domainId, "storage domain key", source + "/" + domainId);
    }

    public static StorageDomainKey of(SourceId source, String domainId) {
        return new StorageDomainKey(source, domainId);
    }

    /** Parses {@code <source>/<id>}; rejects anything else with a message saying what is wrong. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static StorageDomainKey parse(String text) {
        String[] parts = ScopedIds.split(text, "storage domain key");
        SourceId source = ScopedIds.source(parts[0], "storage domain key", text);
        return new StorageDomainKey(source, ScopedIds.checkLocal(parts[1], "storage domain key", text));
    }

    @JsonValue
    @Override
    public String toString() {
        return source + "/" + domainId;
    }

    @Override
    public int compareTo(StorageDomainKey o) {
        return toString().compareTo(o.toString());
    }
}
