package io.lifeboat.collector.source.ovirt;

import io.lifeboat.collector.source.Items;
import io.lifeboat.collector.source.Mutations;
import io.lifeboat.common.id.SourceId;
import io.lifeboat.common.inventory.ClusterRef;
import io.lifeboat.common.inventory.VmState;
import org.junit.jupiter.api.Test;
import org.ovirt.api.metamodel.runtime.xml.XmlReader;
import org.ovirt.engine.sdk4.internal.xml.XmlVmReader;
import org.ovirt.engine.sdk4.types.Vm;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The oVirt side of "one bad item never stops the others": a page of VMs as the engine writes it (XML, read by the
 * real SDK), with one VM's element or attribute emptied, removed, or given an unknown enum value, non-ASCII or very
 * long text. The SDK reads an unknown enum value as null; the mapping must then publish the VM or skip it alone,
 * never fail the page. Text where the engine writes a number makes the SDK refuse the whole page: the cycle marks
 * the VMs incomplete and removes nothing (see OvirtSourceClient), which this test tells apart.
 */
class OvirtMappingFuzzTest {

    private static final SourceId SRC = SourceId.of("ovirt-fuzz");
    /** The SDK logs every unknown enum value at ERROR; thousands of them here say nothing. Kept referenced. */
    private static final java.util.logging.Logger SDK_TYPES = quiet("org.ovirt.engine.sdk4.types");

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger l = java.util.logging.Logger.getLogger(name);
        l.setLevel(java.util.logging.Level.OFF);
        return l;
    }
    private static final Instant AT = Instant.parse("2026-12-01T00:00:00Z");

    private static String vm(String id) {
        return """
                <vm href="/ovirt-engine/api/vms/%1$s" id="%1$s">
                  <name>db-%1$s</name>
                  <status>paused</status>
                  <status_detail>eio</status_detail>
                  <host href="/ovirt-engine/api/hosts/h-1" id="h-1"/>
                  <cluster href="/ovirt-engine/api/clusters/c-1" id="c-1"/>
                  <memory>8589934592</memory>
                  <cpu><architecture>x86_64</architecture>
                    <topology><cores>2</cores><sockets>2</sockets><threads>1</threads></topology></cpu>
                  <high_availability><enabled>true</enabled><priority>50</priority></high_availability>
                  <placement_policy><affinity>migratable</affinity>
                    <hosts><host id="h-1"/></hosts></placement_policy>
                  <storage_error_resume_behaviour>leave_paused</storage_error_resume_behaviour>
                  <watchdogs><watchdog id="w-%1$s"><action>reset</action><model>i6300esb</model></watchdog></watchdogs>
                  <disk_attachments>
                    <disk_attachment id="da-%1$s"><active>true</active><bootable>false</bootable>
                      <interface>virtio_scsi</interface><logical_name>/dev/sdb</logical_name>
                      <disk id="disk-%1$s"><alias>db-data</alias><storage_type>lun</storage_type><status>ok</status>
                        <provisioned_size>107374182400</provisioned_size>
                        <storage_domains><storage_domain id="sd-1"/></storage_domains>
                        <lun_storage><type>fcp</type><logical_units>
                          <logical_unit id="3600507680c8081b2e800000000000a5f"><vendor_id>IBM</vendor_id>
                            <product_id>2145</product_id><serial>SIBM_2145_00c02e8</serial>
                            <size>107374182400</size><paths>4</paths></logical_unit>
                        </logical_units></lun_storage></disk></disk_attachment>
                  </disk_attachments>
                  <reported_devices><reported_device id="rd-%1$s"><name>eth0</name><type>network</type>
                    <mac><address>56:6f:1a:00:00:07</address></mac>
                    <ips><ip><address>10.1.2.7</address><version>v4</version></ip>
                      <ip><address>fe80::1</address><version>v6</version></ip></ips></reported_device></reported_devices>
                </vm>""".formatted(id);
    }

    private static List<Vm> read(String xml) throws Exception {
        try (XmlReader r = new XmlReader(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)))) {
            return XmlVmReader.readMany(r);
        }
    }

    private static List<VmState> map(List<Vm> vms, Items items) {
        List<VmState> out = new ArrayList<>();
        for (Vm v : vms) {
            items.read("vm", v.id(), () -> OvirtMapping.vm(SRC, v, Map.of("c-1", new ClusterRef("c-1", "prod")),
                    Map.of("h-1", "hv1-1-01"), AT), out::add);
        }
        return out;
    }

    @Test
    void noUntidyVmEscapesThePageOrCostsTheOthers() throws Exception {
        int skipped = 0;
        int pagesRefused = 0;
        for (int seed = 0; seed < 1500; seed++) {
            Random rnd = new Random(seed);
            Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(
                    ("<vms>" + vm("good-a") + vm("bad") + vm("good-b") + "</vms>").getBytes(StandardCharsets.UTF_8)));
            Element bad = (Element) doc.getDocumentElement().getElementsByTagName("vm").item(1);
            boolean numeric = mutate(bad, rnd);
            String xml = text(doc);
            List<Vm> page;
            try {
                page = read(xml);
            } catch (RuntimeException e) {
                // The SDK refuses a page where a number is not a number; nothing else may make it refuse one.
                assertThat(numeric).as("seed %d: the SDK refused the page for a non-numeric change: %s", seed, e)
                        .isTrue();
                pagesRefused++;
                continue;
            }
            Items items = new Items(SRC);
            List<VmState> vms = map(page, items);
            assertThat(vms).extracting(v -> v.vm().vmId()).as("seed %d", seed).contains("good-a", "good-b");
            assertThat(vms.size() + items.skipped().size()).as("seed %d", seed).isEqualTo(3);
            skipped += items.skipped().size();
        }
        assertThat(skipped + pagesRefused).isPositive();
    }

    /** Returns whether the changed element holds a number in the engine's schema. */
    private static boolean mutate(Element vm, Random rnd) {
        List<Element> leaves = new ArrayList<>();
        NodeList all = vm.getElementsByTagName("*");
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (e.getElementsByTagName("*").getLength() == 0) {
                leaves.add(e);
            }
        }
        Element target = leaves.get(rnd.nextInt(leaves.size()));
        boolean numeric = List.of("memory", "cores", "sockets", "threads", "priority", "provisioned_size", "size",
                "paths").contains(target.getTagName());
        boolean bool = List.of("enabled", "active", "bootable").contains(target.getTagName());
        switch (rnd.nextInt(4)) {
            case 0 -> target.getParentNode().removeChild(target);
            case 1 -> {
                if (target.hasAttribute("id")) {
                    target.setAttribute("id", String.valueOf(Mutations.pick(rnd)).replace("\u0000", ""));
                } else {
                    target.setTextContent("");
                }
            }
            default -> {
                Object v = Mutations.pick(rnd);
                String text = v instanceof BigInteger || v instanceof Long || v instanceof Integer ? v.toString()
                        : String.valueOf(v).replace("\u0000", "");
                target.setTextContent(text);
                return numeric || bool;
            }
        }
        return numeric || bool;
    }

    private static String text(Node doc) throws Exception {
        StringWriter w = new StringWriter();
        TransformerFactory.newInstance().newTransformer().transform(new DOMSource(doc), new StreamResult(w));
        return w.toString();
    }
}
