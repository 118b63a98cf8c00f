package io.lifeboat.common.id;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Objects;

/**
 * Identifies a VM across sources: {@code <sourceId>/<vmId>}; the VM id is the oVirt VM id or the Nova instance UUID,
 * which is also the libvirt domain UUID on the hypervisor.
 */
public record VmKey(SourceId source, String vmId) implements Comparable<VmKey> {

    /** The JSON Schema pattern of the text form. */
    public static final String REGEX = SourceId.REGEX + "/" + ScopedIds.LOCAL_REGEX;

    public VmKey {
        Objects.requireNonNull(source, "source");
        ScopedIds.checkLocal(vmId, "VM key", source + "/" + vmId);
    }

    public static VmKey of(SourceId source, String vmId) {
        return new VmKey(source, vmId);
    }

    /** Parses {@code <source>/<id>}; rejects anything else with a message saying what is wrong. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static VmKey parse(String text) {
        String[] parts = ScopedIds.split(text, "VM key");
        SourceId source = ScopedIds.source(parts[0], "VM key", text);
        return new VmKey(source, ScopedIds.checkLocal(parts[1], "VM key", text));
    }

    @JsonValue
    @Override
    public String toString() {
        return source + "/" + vmId;
    }

    @Override
    public int compareTo(VmKey o) {
        return toString().compareTo(o.toString());
    }
}
