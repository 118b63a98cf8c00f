package io.lifeboat.cloud.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import io.lifeboat.cloud.CloudCallException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * OpenStack's limit/marker paging, for Nova, Cinder and Glance alike: read a page, and while it says there is more,
 * read the next one from the last item's id. Bounded: a cloud (or a proxy) that ignores the marker and returns a page
 * already read ends the listing with an error instead of looping.
 */
public final class MarkerPager {

    private MarkerPager() {
    }

    /** One page: its items and whether the cloud says more follow. */
    public record Page<T>(List<T> items, boolean more) {
    }

    /**
     * Every item.
     *
     * @param read reads the page after a marker (null: the first page)
     * @param id   an item's id, the next page's marker
     */
    public static <T> List<T> all(String what, Function<String, Page<T>> read, Function<T, String> id) {
        List<T> out = new ArrayList<>();
        Set<String> markers = new HashSet<>();
        String marker = null;
        while (true) {
            Page<T> page = read.apply(marker);
            out.addAll(page.items());
            if (!page.more() || page.items().isEmpty()) {
                return out;
            }
            marker = id.apply(page.items().get(page.items().size() - 1));
            if (marker == null || marker.isEmpty() || !markers.add(marker)) {
                throw CloudCallException.notSent(what + ": the cloud answered the page after " + marker
                        + " twice (marker ignored): listing stopped after " + out.size() + " items", null);
            }
        }
    }

    /**
     * A Nova-style page: the items under {@code key}, more when {@code <key>_links} has a {@code next} link (Nova
     * gives one when the limit or its max_limit cut the page).
     */
    public static Page<JsonNode> page(JsonNode root, String key) {
        List<JsonNode> items = new ArrayList<>();
        if (root != null) {
            root.path(key).forEach(items::add);
        }
        return new Page<>(items, root != null && hasNext(root.path(key + "_links")));
    }

    /** A page of a client that drops the links (openstack4j): more when it is full. */
    public static <T> Page<T> full(List<T> items, int limit) {
        return new Page<>(List.copyOf(items), items.size() >= limit);
    }

    /** Whether a page's links name a next page. */
    public static boolean hasNext(JsonNode links) {
        for (JsonNode l : links) {
            if ("next".equals(l.path("rel").asText())) {
                return true;
            }
        }
        return false;
    }
}
