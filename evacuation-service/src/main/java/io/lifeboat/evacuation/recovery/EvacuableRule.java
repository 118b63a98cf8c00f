package io.lifeboat.evacuation.recovery;

import io.lifeboat.evacuation.config.EvacuationConfig;
import io.lifeboat.evacuation.platform.openstack.NovaApi;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Which OpenStack instances are evacuable, decided from what the cloud shows at run time (never from how complete the
 * inventory happens to be), by one rule:
 * <ol>
 *   <li>an explicit opt-out always wins: server metadata {@code evacuable}, {@code ha} or the HA key (Masakari's
 *       {@code HA_Enabled}) false, or {@code evacuable=false} on its flavor's extra specs or its image;</li>
 *   <li>an instance is marked when its metadata says {@code evacuable}, {@code ha} or the HA key is true, it is tagged
 *       {@code evacuable} or {@code ha}, or its flavor's extra specs or its image's properties say
 *       {@code evacuable=true};</li>
 *   <li>with the {@code auto} policy, when nothing in the source carries any marker (no server, flavor or image),
 *       every instance is evacuable (Pacemaker's rule); otherwise only marked ones. {@code all}: every instance not
 *       opted out; {@code tagged}: only marked ones.</li>
 * </ol>
 * Each verdict names its rule and the fact it was decided from, for the dry run and the audit.
 */
public final class EvacuableRule {

    private static final Set<String> TRUE = Set.of("true", "1", "yes", "on");
    private static final Set<String> FALSE = Set.of("false", "0", "no", "off");

    /** What decided one instance. */
    public record Verdict(boolean evacuable, String rule, String fact) {
        public String describe() {
            return rule + " (" + fact + ")";
        }
    }

    /** Whether anything in the source carries a marker, and the first one found. */
    public record SourceMarkers(boolean any, String fact) {
        public static final SourceMarkers NONE = new SourceMarkers(false,
                "no server, flavor or image of the source carries a marker");
    }

    private final String haKey;

    /** @param haKey the metadata key Masakari users mark instances with ({@code HA_Enabled}) */
    public EvacuableRule(String haKey) {
        this.haKey = haKey;
    }

    /**
     * The verdicts of a source, decided from the cloud now: its images are read once (each instance's properties),
     * and with the {@code auto} policy every server, flavor and image is looked at for a marker.
     *
     * @param allServers every server of the source when the caller has just read them; null to read them here
     */
    public static Function<NovaApi.Server, Verdict> fromCloud(NovaApi nova, EvacuationConfig.Source src,
                                                             List<NovaApi.Server> allServers) {
        boolean scan = src.evacuable() == EvacuationConfig.EvacuablePolicy.AUTO;
        return verdicts(src, scan ? (allServers != null ? allServers : nova.servers()) : List.of(),
                scan ? nova.flavorExtraSpecs() : Map.of(), nova.imageProperties());
    }

    /** The verdicts of a source from what was read of it (servers and flavors needed for {@code auto} only). */
    public static Function<NovaApi.Server, Verdict> verdicts(EvacuationConfig.Source src,
                                                            List<NovaApi.Server> allServers,
                                                            Map<String, Map<String, String>> flavorSpecs,
                                                            Map<String, Map<String, String>> images) {
        EvacuableRule rule = new EvacuableRule(src.evacuableMetadataKey());
        SourceMarkers markers = src.evacuable() == EvacuationConfig.EvacuablePolicy.AUTO
                ? rule.scan(allServers, flavorSpecs, images) : SourceMarkers.NONE;
        return s -> rule.decide(s, s.imageId() == null ? Map.of() : images.getOrDefault(s.imageId(), Map.of()),
                markers, src.evacuable());
    }

    /** Scans the source: every server's metadata and tags, every flavor's extra specs, every image's properties. */
    public SourceMarkers scan(List<NovaApi.Server> servers, Map<String, Map<String, String>> flavorSpecs,
                              Map<String, Map<String, String>> images) {
        for (NovaApi.Server s : servers) {
            Optional<String> m = serverMarker(s);
            if (m.isPresent()) {
                return new SourceMarkers(true, "server " + s.name() + ": " + m.get());
            }
        }
        for (Map.Entry<String, Map<String, String>> f : flavorSpecs.entrySet()) {
            if (truthy(f.getValue().get("evacuable"))) {
                return new SourceMarkers(true, "flavor " + f.getKey() + ": extra spec evacuable="
                        + f.getValue().get("evacuable"));
            }
        }
        for (Map.Entry<String, Map<String, String>> i : images.entrySet()) {
            if (truthy(i.getValue().get("evacuable"))) {
                return new SourceMarkers(true, "image " + i.getKey() + ": property evacuable="
                        + i.getValue().get("evacuable"));
            }
        }
        return SourceMarkers.NONE;
    }

    /**
     * @param image the instance's image properties (empty: booted from a volume, or the image is gone)
     */
    public Verdict decide(NovaApi.Server s, Map<String, String> image, SourceMarkers source,
                          EvacuationConfig.EvacuablePolicy policy) {
        Optional<String> out = optOut(s, image);
        if (out.isPresent()) {
            return new Verdict(false, "opted out", out.get());
        }
        Optional<String> marker = serverMarker(s).or(() -> truthy(image.get("evacuable"))
                ? Optional.of("image property evacuable=" + image.get("evacuable")) : Optional.empty());
        if (marker.isPresent()) {
            return new Verdict(true, "marked evacuable", marker.get());
        }
        return switch (policy) {
            case ALL -> new Verdict(true, "every instance not opted out (policy all)", "no marker");
            case TAGGED -> new Verdict(false, "not tagged evacuable (policy tagged: only marked instances)",
                    "no marker on the server, its flavor or its image");
            case AUTO -> source.any()
                    ? new Verdict(false, "not tagged evacuable (instances of this source are tagged, so only tagged"
                    + " ones are evacuated)", source.fact())
                    : new Verdict(true, "nothing in the source is marked, so every instance is evacuated"
                    + " (Pacemaker's rule)", source.fact());
        };
    }

    /** An explicit no on the server's metadata, its flavor or its image. */
    Optional<String> optOut(NovaApi.Server s, Map<String, String> image) {
        for (String k : List.of("evacuable", "ha", haKey)) {
            String v = s.metadata().get(k);
            if (falsy(v)) {
                return Optional.of("server metadata " + k + "=" + v);
            }
        }
        if (falsy(s.flavorExtraSpecs().get("evacuable"))) {
            return Optional.of("flavor extra spec evacuable=" + s.flavorExtraSpecs().get("evacuable"));
        }
        if (falsy(image.get("evacuable"))) {
            return Optional.of("image property evacuable=" + image.get("evacuable"));
        }
        return Optional.empty();
    }

    /** A marker on the server itself: metadata, tags, its (embedded) flavor's extra specs. */
    Optional<String> serverMarker(NovaApi.Server s) {
        for (String k : List.of(haKey, "evacuable", "ha")) {
            if (truthy(s.metadata().get(k))) {
                return Optional.of("server metadata " + k + "=" + s.metadata().get(k));
            }
        }
        for (String t : s.tags()) {
            if (t.equalsIgnoreCase("evacuable") || t.equalsIgnoreCase("ha")) {
                return Optional.of("server tag " + t);
            }
        }
        if (truthy(s.flavorExtraSpecs().get("evacuable"))) {
            return Optional.of("flavor extra spec evacuable=" + s.flavorExtraSpecs().get("evacuable"));
        }
        return Optional.empty();
    }

    static boolean truthy(String v) {
        return v != null && TRUE.contains(v.strip().toLowerCase(Locale.ROOT));
    }

    static boolean falsy(String v) {
        return v != null && FALSE.contains(v.strip().toLowerCase(Locale.ROOT));
    }
}
