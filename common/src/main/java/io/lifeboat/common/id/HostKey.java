package io.lifeboat.common.id;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Objects;

/**
 * Identifies a hypervisor host across sources: {@code <sourceId>/<hostId>}. The host id is the oVirt host UUID, or for
 * OpenStack the nova-compute service host name ({@code OS-EXT-SRV-ATTR:host}), because that, not the hypervisor id
 * (an integer below compute 2.53, a UUID from 2.53) or {@code hypervisor_hostname}, is what evacuate and os-services
 * take (wire-formats.md A.1, A.3).
 */
public record HostKey(SourceId source, String hostId) implements Comparable<HostKey> {

    /** The JSON Schema pattern of the text form. */
    public static final String REGEX = SourceId.REGEX + "/" + ScopedIds.LOCAL_REGEX;

    public HostKey {
        Objects.requireNonNull(source, "source");
        ScopedIds.checkLocal(hostId, "host key", source + "/" + hostId);
    }

    public static HostKey of(SourceId source, String hostId) {
        return new HostKey(source, hostId);
    }

    /** Parses {@code <source>/<id>}; rejects anything else with a message saying what is wrong. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static HostKey parse(String text) {
        String[] parts = ScopedIds.split(text, "host key");
        SourceId source = ScopedIds.source(parts[0], "host key", text);
        return new HostKey(source, ScopedIds.checkLocal(parts[1], "host key", text));
    }

    @JsonValue
    @Override
    public String toString() {
        return source + "/" + hostId;
    }

    @Override
    public int compareTo(HostKey o) {
        return toString().compareTo(o.toString());
    }
}
