package io.lifeboat.simulator.ovirt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.simulator.world.SimulatedFault;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of an {@code <action>} body the simulator acts on (wire-formats.md D.6): the target host of a migrate,
 * the placement hosts of a start, {@code force}, {@code fence_type}. XML as the SDK writes it, or JSON.
 */
record OvirtActionBody(String hostId, String hostName, List<String> placementHostIds, boolean force,
                       String fenceType) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static OvirtActionBody parse(String body, boolean json) {
        if (body == null || body.isBlank()) {
            return new OvirtActionBody(null, null, List.of(), false, null);
        }
        try {
            return json ? fromJson(JSON.readTree(body)) : fromXml(body);
        } catch (SimulatedFault f) {
            throw f;
        } catch (Exception e) {
            throw SimulatedFault.badRequest("Request syntactically incorrect: " + e.getMessage());
        }
    }

    private static OvirtActionBody fromXml(String body) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
        Element action = doc.getDocumentElement();
        if (!"action".equals(action.getTagName())) {
            throw SimulatedFault.badRequest("Request syntactically incorrect: root element must be <action>");
        }
        Element host = child(action, "host");
        List<String> placement = new ArrayList<>();
        Element vm = child(action, "vm");
        Element pp = vm == null ? null : child(vm, "placement_policy");
        Element hosts = pp == null ? null : child(pp, "hosts");
        if (hosts != null) {
            NodeList nl = hosts.getChildNodes();
            for (int i = 0; i < nl.getLength(); i++) {
                if (nl.item(i) instanceof Element h && !h.getAttribute("id").isEmpty()) {
                    placement.add(h.getAttribute("id"));
                }
            }
        }
        Element force = child(action, "force");
        Element fence = child(action, "fence_type");
        return new OvirtActionBody(host == null || host.getAttribute("id").isEmpty() ? null : host.getAttribute("id"),
                host == null ? null : text(child(host, "name")), placement,
                force != null && "true".equalsIgnoreCase(force.getTextContent().strip()),
                text(fence));
    }

    private static OvirtActionBody fromJson(JsonNode a) {
        JsonNode host = a.path("host");
        List<String> placement = new ArrayList<>();
        for (JsonNode h : a.path("vm").path("placement_policy").path("hosts").path("host")) {
            if (h.hasNonNull("id")) {
                placement.add(h.get("id").asText());
            }
        }
        return new OvirtActionBody(host.hasNonNull("id") ? host.get("id").asText() : null,
                host.hasNonNull("name") ? host.get("name").asText() : null, placement,
                a.path("force").asText("false").equalsIgnoreCase("true"),
                a.hasNonNull("fence_type") ? a.get("fence_type").asText() : null);
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    private static String text(Element e) {
        return e == null ? null : e.getTextContent().strip();
    }
}
