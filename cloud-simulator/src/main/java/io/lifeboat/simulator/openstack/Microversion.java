package io.lifeboat.simulator.openstack;

import io.lifeboat.simulator.world.SimulatedFault;

import java.util.Locale;

/**
 * A compute API microversion, read as Nova reads it (wire-formats.md A.0): {@code OpenStack-API-Version: compute 2.NN}
 * (possibly among other services' entries), else the legacy {@code X-OpenStack-Nova-API-Version}, else 2.1.
 * {@code latest} means the maximum served.
 */
public record Microversion(int major, int minor) implements Comparable<Microversion> {

    public static final Microversion MIN = new Microversion(2, 1);

    public static Microversion parse(String text) {
        String[] p = text.strip().split("\\.");
        if (p.length != 2) {
            throw new IllegalArgumentException(text);
        }
        return new Microversion(Integer.parseInt(p[0]), Integer.parseInt(p[1]));
    }

    /** The version requested by the headers; 406 when it is malformed or beyond {@code max}, as Nova answers. */
    public static Microversion fromHeaders(String openstackApiVersion, String legacy, Microversion max) {
        String requested = null;
        if (openstackApiVersion != null) {
            for (String entry : openstackApiVersion.split(",")) {
                String[] kv = entry.strip().split("\\s+");
                if (kv.length == 2 && kv[0].equalsIgnoreCase("compute")) {
                    requested = kv[1];
                }
            }
        }
        if (requested == null && legacy != null && !legacy.isBlank()) {
            requested = legacy.strip();
        }
        if (requested == null) {
            return MIN;
        }
        if (requested.toLowerCase(Locale.ROOT).equals("latest")) {
            return max;
        }
        Microversion v;
        try {
            v = parse(requested);
        } catch (RuntimeException e) {
            throw new SimulatedFault(400, "Invalid format of API version: " + requested);
        }
        if (v.compareTo(MIN) < 0 || v.compareTo(max) > 0) {
            throw new SimulatedFault(406, "Version " + requested + " is not supported by the API. Minimum is 2.1"
                    + " and maximum is " + max + ".");
        }
        return v;
    }

    public boolean atLeast(int minorOf2) {
        return major > 2 || (major == 2 && minor >= minorOf2);
    }

    @Override
    public int compareTo(Microversion o) {
        return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
