package io.lifeboat.common.lun;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * A SAN LUN's identity, in one canonical form whatever it was read from.
 *
 * <p>The same LUN appears under several spellings (wire-formats.md C.2, F.3):
 * <ul>
 *   <li>Linux multipath / oVirt {@code logical_unit id} / os-brick {@code multipath_id}: {@code "3"} (SCSI VPD 0x83
 *       designator type NAA) + the NAA identifier in lower case, e.g. {@code 3600507680c8081b2e800000000000a5f};</li>
 *   <li>IBM SVC {@code vdisk_UID} and Cinder's {@code volume_wwn} metadata: the bare NAA identifier in upper case,
 *       e.g. {@code 600507680C8081B2E800000000000A5F};</li>
 *   <li>VMware / udev style: {@code naa.600507680c8081b2e800000000000a5f}.</li>
 * </ul>
 * Accepted identifiers are NAA type 6 (IEEE registered extended, 32 hex digits; SVC volumes) and NAA type 5 (IEEE
 * registered, 16 hex digits), in any case. The canonical text ({@link #toString()}, and the JSON form) is the multipath
 * WWID, because that is what oVirt reports and what an operator sees in {@code multipath -ll}.
 */
public final class LunWwid implements Comparable<LunWwid> {

    /** JSON Schema pattern of the canonical form. */
    public static final String REGEX = "3(6[0-9a-f]{31}|5[0-9a-f]{15})";

    /** The NAA identifier, lower-case hex, without any prefix. */
    private final String naa;

    private LunWwid(String naa) {
        this.naa = naa;
    }

    /**
     * Parses any accepted spelling; surrounding whitespace is ignored.
     *
     * @throws IllegalArgumentException naming the input and what is wrong with it
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static LunWwid parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("LUN WWID must not be null");
        }
        String s = text.strip().toLowerCase(Locale.ROOT);
        if (s.isEmpty()) {
            throw new IllegalArgumentException("LUN WWID must not be empty");
        }
        String hex;
        if (s.startsWith("naa.")) {
            hex = s.substring(4);
        } else if (s.length() == 33 || s.length() == 17) {
            // Multipath form: the leading '3' is the NAA designator type, not part of the identifier.
            if (s.charAt(0) != '3') {
                throw invalid(text, "a " + s.length() + "-character WWID must start with '3' (NAA designator type)");
            }
            hex = s.substring(1);
        } else {
            hex = s;
        }
        for (int i = 0; i < hex.length(); i++) {
            char c = hex.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                int at = s.length() - hex.length() + i;
                throw invalid(text, "'" + s.charAt(at) + "' at position " + at + " is not a hex digit");
            }
        }
        if (hex.isEmpty()) {
            throw invalid(text, "no identifier after the prefix");
        }
        char type = hex.charAt(0);
        if (type == '6' && hex.length() == 32 || type == '5' && hex.length() == 16) {
            return new LunWwid(hex);
        }
        if (type == '6' || type == '5') {
            throw invalid(text, "an NAA type " + type + " identifier has " + (type == '6' ? 32 : 16)
                    + " hex digits, found " + hex.length());
        }
        throw invalid(text, "expected an NAA type 6 (32 hex digits, e.g. SVC vdisk_UID 600507680C8081B2E800000000000A5F)"
                + " or type 5 (16 hex digits) identifier, optionally prefixed by '3' (multipath WWID) or 'naa.'");
    }

    /** Like {@link #parse(String)} but returns null for null or blank input. */
    public static LunWwid parseOrNull(String text) {
        return text == null || text.isBlank() ? null : parse(text);
    }

    /** True when {@link #parse(String)} would accept the text. */
    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("invalid LUN WWID '" + text + "': " + why);
    }

    /** Linux multipath / oVirt form: {@code 3600507680c8081b2e800000000000a5f}. */
    public String multipathWwid() {
        return "3" + naa;
    }

    /** IBM SVC {@code vdisk_UID} form: {@code 600507680C8081B2E800000000000A5F}. */
    public String svcVdiskUid() {
        return naa.toUpperCase(Locale.ROOT);
    }

    /** {@code naa.600507680c8081b2e800000000000a5f}. */
    public String naaForm() {
        return "naa." + naa;
    }

    /** The bare identifier in lower case. */
    public String naaHex() {
        return naa;
    }

    @JsonValue
    @Override
    public String toString() {
        return multipathWwid();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LunWwid other && naa.equals(other.naa);
    }

    @Override
    public int hashCode() {
        return naa.hashCode();
    }

    @Override
    public int compareTo(LunWwid o) {
        return naa.compareTo(o.naa);
    }
}
