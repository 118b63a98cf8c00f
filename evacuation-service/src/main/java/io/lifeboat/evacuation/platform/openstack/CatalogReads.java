package io.lifeboat.evacuation.platform.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import io.lifeboat.cloud.CloudCallException;
import io.lifeboat.cloud.openstack.KeystoneSession;
import io.lifeboat.cloud.openstack.MarkerPager;
import io.lifeboat.cloud.openstack.OpenStackHttp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The source's images and flavors, read for the evacuable rule: what an operator marks besides the servers
 * themselves (Pacemaker's {@code evacuable} image property and flavor extra spec).
 */
final class CatalogReads {

    private static final int IMAGE_PAGE = 200;
    /** Glance's own image fields: everything else is a property an operator set. */
    private static final java.util.Set<String> GLANCE_FIELDS = java.util.Set.of("id", "name", "status", "visibility",
            "protected", "os_hidden", "owner", "container_format", "disk_format", "min_disk", "min_ram", "size",
            "virtual_size", "checksum", "os_hash_algo", "os_hash_value", "created_at", "updated_at", "tags", "self",
            "file", "schema", "direct_url", "locations", "stores");

    private final KeystoneSession session;

    CatalogReads(KeystoneSession session) {
        this.session = session;
    }

    Map<String, Map<String, String>> imageProperties() {
        String base = session.endpoint("image");
        if (base == null) {
            throw CloudCallException.notSent("the Keystone catalog has no image endpoint", null);
        }
        String images = base.endsWith("/v2") ? base + "/images" : base + "/v2/images";
        // Glance names the next page in the body ("next"), not in links; the marker is the last image's id.
        List<JsonNode> all = MarkerPager.all("list images", marker -> {
            JsonNode root = session.idempotent("list images", () -> session.send("GET", images + "?limit="
                    + IMAGE_PAGE + (marker == null ? "" : "&marker=" + OpenStackHttp.encode(marker)), null, null));
            List<JsonNode> page = new ArrayList<>();
            root.path("images").forEach(page::add);
            return new MarkerPager.Page<>(page, root.hasNonNull("next"));
        }, i -> i.path("id").asText(null));
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (JsonNode i : all) {
            Map<String, String> props = new LinkedHashMap<>();
            i.fields().forEachRemaining(e -> {
                if (!GLANCE_FIELDS.contains(e.getKey()) && e.getValue().isValueNode()) {
                    props.put(e.getKey(), e.getValue().asText());
                }
            });
            out.put(i.path("id").asText(), props);
        }
        return out;
    }

    Map<String, Map<String, String>> flavorExtraSpecs() {
        String compute = session.computeUrl();
        boolean embedded = session.servedMicroversionMinor() >= 61;
        JsonNode root = session.idempotent("list flavors", () -> session.send("GET", compute
                + "/flavors/detail?is_public=None", null, embedded ? "2.61" : session.microversion()));
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (JsonNode f : root.path("flavors")) {
            String id = f.path("id").asText();
            JsonNode specs = embedded ? f.path("extra_specs") : session.idempotent("read extra specs of flavor " + id,
                    () -> session.send("GET", compute + "/flavors/" + OpenStackHttp.encode(id) + "/os-extra_specs",
                            null, session.microversion())).path("extra_specs");
            Map<String, String> m = new LinkedHashMap<>();
            specs.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
            out.put(id, m);
        }
        return out;
    }
}
