package io.lifeboat.collector.source;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.common.id.SourceId;
import io.lifeboat.common.inventory.ClusterRef;
import io.lifeboat.common.inventory.HostState;
import org.junit.jupiter.api.Test;
import org.openstack4j.core.transport.ObjectMapperSingleton;
import org.openstack4j.openstack.compute.domain.ext.ExtService;
import org.ovirt.api.metamodel.runtime.xml.XmlReader;
import org.ovirt.engine.sdk4.internal.xml.XmlHostReader;
import org.ovirt.engine.sdk4.internal.xml.XmlStorageDomainReader;
import org.ovirt.engine.sdk4.types.Host;
import org.ovirt.engine.sdk4.types.StorageDomain;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The host and storage-domain mappers under untidy input: one item of a listing with a value emptied, removed or
 * replaced (unknown enum values, non-ASCII, huge numbers, impossible dates) between good ones. What the SDKs read,
 * the mapping publishes or skips alone; the good items are always kept.
 */
class HostMappingFuzzTest {

    private static final SourceId SRC = SourceId.of("fuzz");
    private static final Instant AT = Instant.parse("2026-12-01T00:00:00Z");
    private static final java.util.logging.Logger SDK_TYPES = quiet("org.ovirt.engine.sdk4.types");

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger l = java.util.logging.Logger.getLogger(name);
        l.setLevel(java.util.logging.Level.OFF);
        return l;
    }

    private static final String[] OVIRT_HOST_FIELDS = {"name", "status", "status_detail", "address", "cluster",
            "power_management"};
    private static final String[] SD_FIELDS = {"name", "type", "storage", "data_centers"};

    private static String host(String id, Map<String, String> override) {
        String name = override.getOrDefault("name", "<name>hv-" + id + "</name>");
        return "<host href=\"/ovirt-engine/api/hosts/" + id + "\" id=\"" + id + "\">" + name
                + override.getOrDefault("status", "<status>up</status>")
                + override.getOrDefault("status_detail", "<status_detail>none</status_detail>")
                + override.getOrDefault("address", "<address>10.0.0.1</address>")
                + override.getOrDefault("cluster", "<cluster id=\"c-1\"/>")
                + override.getOrDefault("power_management",
                "<power_management><enabled>true</enabled></power_management>")
                + "</host>";
    }

    private static String domain(String id, Map<String, String> override) {
        return "<storage_domain id=\"" + id + "\">"
                + override.getOrDefault("name", "<name>data-" + id + "</name>")
                + override.getOrDefault("type", "<type>data</type>")
                + override.getOrDefault("storage", "<storage><type>fcp</type><volume_group id=\"vg\"><logical_units>"
                + "<logical_unit id=\"3600507680c8081b2e800000000000a5f\"/></logical_units></volume_group></storage>")
                + override.getOrDefault("data_centers", "<data_centers><data_center id=\"dc-1\"/></data_centers>")
                + "</storage_domain>";
    }

    private static String value(Random rnd) {
        Object v = Mutations.pick(rnd);
        String t = v instanceof BigInteger || v instanceof Long || v instanceof Integer ? v.toString() : String.valueOf(v);
        return t.replace("\u0000", "").replace("<", "").replace("&", "");
    }

    private static String mutated(String field, Random rnd) {
        return switch (rnd.nextInt(3)) {
            case 0 -> "";                                               // element missing
            case 1 -> "<" + field + "></" + field + ">";                 // element empty
            default -> "<" + field + ">" + value(rnd) + "</" + field + ">";
        };
    }

    @Test
    void ovirtHostsAndStorageDomains() throws Exception {
        int skipped = 0;
        for (int seed = 0; seed < 1500; seed++) {
            Random rnd = new Random(seed);
            String f = OVIRT_HOST_FIELDS[rnd.nextInt(OVIRT_HOST_FIELDS.length)];
            String xml = "<hosts>" + host("a", Map.of()) + host("bad", Map.of(f, mutated(f, rnd)))
                    + host("b", Map.of()) + "</hosts>";
            List<Host> hosts;
            try (XmlReader r = new XmlReader(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)))) {
                hosts = XmlHostReader.readMany(r);
            } catch (RuntimeException e) {
                continue;   // the SDK refused the page: the listing fails, nothing is removed (see OvirtSourceClient)
            }
            Items items = new Items(SRC);
            List<HostState> out = new ArrayList<>();
            for (Host h : hosts) {
                items.read("host", h.id(), () -> io.lifeboat.collector.source.ovirt.OvirtMappingAccess.host(SRC, h,
                        Map.of("c-1", new ClusterRef("c-1", "prod")), AT), out::add);
            }
            assertThat(out).extracting(x -> x.host().hostId()).as("seed %d", seed).contains("a", "b");
            skipped += items.skipped().size();

            String g = SD_FIELDS[rnd.nextInt(SD_FIELDS.length)];
            String sdXml = "<storage_domains>" + domain("a", Map.of()) + domain("bad", Map.of(g, mutated(g, rnd)))
                    + domain("b", Map.of()) + "</storage_domains>";
            List<StorageDomain> sds;
            try (XmlReader r = new XmlReader(new ByteArrayInputStream(sdXml.getBytes(StandardCharsets.UTF_8)))) {
                sds = XmlStorageDomainReader.readMany(r);
            } catch (RuntimeException e) {
                continue;
            }
            Items sdItems = new Items(SRC);
            List<Object> sdOut = new ArrayList<>();
            for (StorageDomain sd : sds) {
                sdItems.read("storage-domain", sd.id(), () -> io.lifeboat.collector.source.ovirt.OvirtMappingAccess
                        .storageDomain(SRC, sd, AT), sdOut::add);
            }
            assertThat(sdOut).hasSizeGreaterThanOrEqualTo(2);
            skipped += sdItems.skipped().size();
        }
        assertThat(skipped).as("the mutations reach the mapping").isPositive();
    }

    @Test
    void novaComputeServices() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectMapper os4j = ObjectMapperSingleton.getContext(ExtService.class);
        String[] fields = {"host", "zone", "status", "state", "updated_at", "disabled_reason", "forced_down", "binary",
                "id"};
        int skipped = 0;
        int parsed = 0;
        for (int seed = 0; seed < 2000; seed++) {
            Random rnd = new Random(seed);
            List<ExtService> services = new ArrayList<>();
            boolean listingFailed = false;
            for (String name : List.of("a", "bad", "b")) {
                ObjectNode s = (ObjectNode) json.readTree("{\"id\": \"5b0c8c8e-" + name + "\", \"binary\":"
                        + " \"nova-compute\", \"host\": \"cmp-" + name + "\", \"zone\": \"nova\", \"status\":"
                        + " \"enabled\", \"state\": \"up\", \"updated_at\": \"2026-11-30T10:00:00.000000\","
                        + " \"disabled_reason\": null, \"forced_down\": false}");
                if (name.equals("bad")) {
                    String f = fields[rnd.nextInt(fields.length)];
                    switch (rnd.nextInt(3)) {
                        case 0 -> s.remove(f);
                        case 1 -> s.putNull(f);
                        default -> s.put(f, value(rnd));
                    }
                }
                try {
                    services.add(os4j.treeToValue(json.createObjectNode().set("service", s), ExtService.class));
                } catch (Exception e) {
                    if (!name.equals("bad")) {
                        throw new AssertionError("a good service must parse: " + s, e);
                    }
                    listingFailed = true;   // openstack4j refuses the whole list: the hosts kind is incomplete
                }
            }
            if (listingFailed) {
                continue;
            }
            parsed++;
            Items items = new Items(SRC);
            List<HostState> out = new ArrayList<>();
            for (ExtService s : services) {
                items.read("service", s.getHost(), () -> io.lifeboat.collector.source.openstack.NovaMappingAccess
                        .host(SRC, s, Map.of(), AT), out::add);
            }
            assertThat(out).extracting(x -> x.host().hostId()).as("seed %d", seed).contains("cmp-a", "cmp-b");
            skipped += items.skipped().size();
        }
        assertThat(parsed).isPositive();
        assertThat(skipped).isPositive();
    }
}
