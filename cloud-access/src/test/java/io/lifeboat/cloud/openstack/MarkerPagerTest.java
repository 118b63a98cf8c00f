package io.lifeboat.cloud.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.cloud.CloudCallException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MarkerPagerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Nova's paging of 7 servers by 3: next links on full pages, as Nova gives them. */
    private static JsonNode novaPage(String marker, int limit, int total) {
        int from = marker == null ? 0 : Integer.parseInt(marker.substring(2)) + 1;
        var root = JSON.createObjectNode();
        var servers = root.putArray("servers");
        IntStream.range(from, Math.min(total, from + limit)).forEach(i -> servers.addObject().put("id", "s-" + i));
        if (servers.size() == limit) {
            root.putArray("servers_links").addObject().put("rel", "next").put("href", "…");
        }
        return root;
    }

    @Test
    void readsEveryPageByTheLastId() {
        List<String> markers = new ArrayList<>();
        List<JsonNode> all = MarkerPager.all("list servers", m -> {
            markers.add(String.valueOf(m));
            return MarkerPager.page(novaPage(m, 3, 7), "servers");
        }, n -> n.path("id").asText());
        assertThat(all).extracting(n -> n.path("id").asText())
                .containsExactly("s-0", "s-1", "s-2", "s-3", "s-4", "s-5", "s-6");
        assertThat(markers).containsExactly("null", "s-2", "s-5");
    }

    @Test
    void aFullLastPageCostsOneEmptyPage() {
        List<JsonNode> all = MarkerPager.all("list", m -> MarkerPager.page(novaPage(m, 3, 6), "servers"),
                n -> n.path("id").asText());
        assertThat(all).hasSize(6);
    }

    @Test
    void aCloudThatIgnoresTheMarkerStopsTheListingInsteadOfLooping() {
        assertThatThrownBy(() -> MarkerPager.all("list volumes", m -> MarkerPager.full(List.of("v-1", "v-2"), 2),
                v -> v)).isInstanceOf(CloudCallException.class)
                .hasMessageContaining("list volumes").hasMessageContaining("v-2 twice");
    }

    @Test
    void theFaultMessageOfEachServiceIsRead() {
        assertThat(OpenStackHttp.faultMessage("{\"itemNotFound\": {\"code\": 404, \"message\": \"Instance x could not"
                + " be found.\"}}")).isEqualTo("Instance x could not be found.");
        assertThat(OpenStackHttp.faultMessage("{\"error\": {\"code\": 401, \"message\": \"The request you have made"
                + " requires authentication.\", \"title\": \"Unauthorized\"}}"))
                .isEqualTo("The request you have made requires authentication.");
        assertThat(OpenStackHttp.faultMessage("<html>502 Bad Gateway</html>")).isEqualTo("<html>502 Bad Gateway</html>");
        assertThat(OpenStackHttp.faultMessage("")).isEqualTo("(no body)");
    }
}
