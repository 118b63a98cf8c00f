package io.lifeboat.collector.source.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.collector.source.Items;
import io.lifeboat.collector.source.Mutations;
import io.lifeboat.common.id.SourceId;
import io.lifeboat.common.inventory.VmState;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One untidy server in a listing never costs the others (DESIGN.md, "one bad item never stops the others"): a
 * real-shaped Nova server (compute 2.53, wire-formats.md A.4) with one field replaced by an empty string, a null, an
 * unknown enum value, an impossible date, an overflowing number, non-ASCII or 10,000 characters, or removed, sits
 * between two good ones. No exception escapes the listing; both good servers are always published.
 */
class NovaServerMappingFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SourceId SRC = SourceId.of("openstack-fuzz");
    private static final Instant AT = Instant.parse("2026-12-01T00:00:00Z");

    static ObjectNode server(String id) throws Exception {
        return (ObjectNode) JSON.readTree("""
                {"id": "%s", "name": "db-%s", "status": "ACTIVE", "host_status": "UP", "tenant_id": "p1",
                 "updated": "2026-11-30T10:00:00Z", "created": "2026-11-01T10:00:00Z",
                 "OS-EXT-SRV-ATTR:host": "cmp-a03", "OS-EXT-SRV-ATTR:hypervisor_hostname": "cmp-a03.dc1.example",
                 "OS-EXT-SRV-ATTR:instance_name": "instance-0000a1b2", "OS-EXT-AZ:availability_zone": "az1",
                 "OS-EXT-STS:vm_state": "active", "OS-EXT-STS:task_state": null, "OS-EXT-STS:power_state": 1,
                 "OS-SRV-USG:terminated_at": null,
                 "addresses": {"net1": [{"addr": "10.1.2.3", "version": 4, "OS-EXT-IPS:type": "fixed"}]},
                 "image": {"id": "img-1"}, "metadata": {"ha_priority": "5", "evacuable": "true"},
                 "tags": ["evacuable"],
                 "os-extended-volumes:volumes_attached": [{"id": "vol-1", "delete_on_termination": false}],
                 "flavor": {"vcpus": 4, "ram": 8192, "disk": 20, "ephemeral": 0, "swap": 0,
                            "original_name": "ha.medium", "extra_specs": {"hw:watchdog_action": "reset"}}}
                """.formatted(id, id));
    }

    private static List<VmState> list(List<JsonNode> servers, Items items) {
        Map<String, NovaServerMapping.VolumeInfo> volumes = Map.of("vol-1",
                new NovaServerMapping.VolumeInfo("vol-1", "data", 100, "600507680C8081B2E800000000000A5F"));
        Map<String, Map<String, String>> images = Map.of("img-1", Map.of("hw_watchdog_action", "pause"));
        List<VmState> out = new ArrayList<>();
        for (JsonNode s : servers) {
            String id = s.path("id").isTextual() ? s.path("id").asText() : null;
            items.read("server", id, () -> NovaServerMapping.vm(SRC, s, volumes, images, Duration.ofHours(1), AT),
                    out::add);
        }
        return out;
    }

    /** Every value position of the document, as a path of field names and indexes. */
    private static void paths(JsonNode n, List<Object> prefix, List<List<Object>> out) {
        if (n.isObject()) {
            n.fieldNames().forEachRemaining(f -> {
                List<Object> p = new ArrayList<>(prefix);
                p.add(f);
                out.add(p);
                paths(n.get(f), p, out);
            });
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                List<Object> p = new ArrayList<>(prefix);
                p.add(i);
                out.add(p);
                paths(n.get(i), p, out);
            }
        }
    }

    private static void mutate(ObjectNode root, List<Object> path, Random rnd) {
        JsonNode parent = root;
        for (int i = 0; i < path.size() - 1; i++) {
            Object step = path.get(i);
            parent = step instanceof Integer idx ? parent.get(idx) : parent.get((String) step);
        }
        Object last = path.get(path.size() - 1);
        int how = rnd.nextInt(4);
        JsonNodeFactory f = JsonNodeFactory.instance;
        Object v = Mutations.pick(rnd);
        JsonNode value = how == 0 ? f.nullNode() : v instanceof String s ? f.textNode(s)
                : v instanceof BigInteger b ? f.numberNode(b) : v instanceof Long l ? f.numberNode(l)
                : v instanceof Integer i ? f.numberNode(i) : f.numberNode((Double) v);
        if (parent instanceof ObjectNode o) {
            if (how == 1) {
                o.remove((String) last);
            } else {
                o.set((String) last, value);
            }
        } else if (parent instanceof ArrayNode a) {
            if (how == 1) {
                a.remove((Integer) last);
            } else {
                a.set((Integer) last, value);
            }
        }
    }

    @Test
    void noUntidyServerEscapesTheListingOrCostsTheOthers() throws Exception {
        List<List<Object>> paths = new ArrayList<>();
        paths(server("x"), List.of(), paths);
        int skipped = 0;
        for (int seed = 0; seed < 3000; seed++) {
            Random rnd = new Random(seed);
            ObjectNode bad = server("bad-" + seed);
            mutate(bad, paths.get(rnd.nextInt(paths.size())), rnd);
            if (rnd.nextInt(5) == 0) {   // sometimes two fields at once
                mutate(bad, paths.get(rnd.nextInt(paths.size())), rnd);
            }
            Items items = new Items(SRC);
            List<VmState> vms = list(List.of(server("good-a"), bad, server("good-b")), items);
            assertThat(vms).extracting(v -> v.vm().vmId()).as("seed %d: %s", seed, bad)
                    .contains("good-a", "good-b");
            assertThat(vms.size() + items.skipped().size()).as("seed %d: each server published or skipped", seed)
                    .isEqualTo(3);
            assertThat(items.skipped()).allSatisfy(s -> assertThat(s.reason()).isNotBlank());
            skipped += items.skipped().size();
        }
        assertThat(skipped).as("some mutations are unreadable (the test would prove nothing otherwise)")
                .isPositive();
    }

    /**
     * Shapes real Nova gives that are not errors: a server that never got scheduled (no host, empty zone), a
     * volume-backed one (image ""), no power state yet, no addresses, no tags below 2.26, an empty host_status.
     * These are published, never skipped.
     */
    @Test
    void realNovaShapesArePublishedNotSkipped() throws Exception {
        List<ObjectNode> shapes = new ArrayList<>();
        ObjectNode unscheduled = server("unscheduled");
        unscheduled.put("status", "ERROR");
        unscheduled.put("OS-EXT-STS:vm_state", "error");
        unscheduled.putNull("OS-EXT-SRV-ATTR:host");
        unscheduled.putNull("OS-EXT-SRV-ATTR:hypervisor_hostname");
        unscheduled.put("OS-EXT-AZ:availability_zone", "");
        unscheduled.put("OS-EXT-STS:power_state", 0);
        unscheduled.put("host_status", "");
        unscheduled.set("addresses", JSON.createObjectNode());
        shapes.add(unscheduled);
        ObjectNode volumeBacked = server("volume-backed");
        volumeBacked.put("image", "");
        shapes.add(volumeBacked);
        ObjectNode building = server("building");
        building.put("status", "BUILD");
        building.put("OS-EXT-STS:vm_state", "building");
        building.put("OS-EXT-STS:task_state", "scheduling");
        building.putNull("OS-EXT-STS:power_state");
        building.remove("tags");
        ((ObjectNode) building.get("flavor")).remove("extra_specs");
        shapes.add(building);
        Items items = new Items(SRC);
        List<VmState> vms = list(new ArrayList<>(shapes), items);
        assertThat(items.skipped()).isEmpty();
        assertThat(vms).hasSize(3);
        VmState u = vms.get(0);
        assertThat(u.host()).isNull();
        assertThat(u.cluster()).as("an empty availability zone is no cluster").isNull();
        assertThat(vms.get(1).disks()).extracting(d -> d.id()).containsExactly("vol-1");
    }
}
