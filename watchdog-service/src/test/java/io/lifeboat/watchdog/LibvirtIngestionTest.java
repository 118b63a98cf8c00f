package io.lifeboat.watchdog;

import io.lifeboat.common.envelope.EventEnvelope;
import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.id.SourceId;
import io.lifeboat.common.id.SourceKind;
import io.lifeboat.common.id.VmKey;
import io.lifeboat.common.inventory.ClusterRef;
import io.lifeboat.common.inventory.Deletion;
import io.lifeboat.common.inventory.HighAvailability;
import io.lifeboat.common.inventory.HostRef;
import io.lifeboat.common.inventory.VmState;
import io.lifeboat.common.inventory.VmStatus;
import io.lifeboat.testsupport.KafkaTestClient;
import io.lifeboat.testsupport.LifeboatInfra;
import io.lifeboat.watchdog.ingest.LibvirtEventSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;
import org.libvirt.Domain;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * The fourth way in: the service's own libvirt connection (to the test driver, standing in for a hypervisor's
 * libvirtd). A guest of an oVirt VM crashes there, and the incident is the same as from a virsh line: UNEXPECTED_STOP
 * tied to the VM.
 */
@QuarkusTest
@QuarkusTestResource(LifeboatInfra.class)
@TestProfile(LibvirtIngestionTest.Connected.class)
class LibvirtIngestionTest {

    /** libvirt on, one hypervisor "hv-lab" reached at test:///default, none from the inventory. */
    public static class Connected implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("lifeboat.watchdog.libvirt.enabled", "true",
                    "lifeboat.watchdog.libvirt.from-inventory", "false",
                    "lifeboat.watchdog.libvirt.hypervisors", "hv-lab=test:///default",
                    "lifeboat.watchdog.libvirt.reconcile-interval", "1s");
        }
    }

    @Test
    void aGuestCrashSeenThroughLibvirtBecomesAnIncidentOfItsVm() throws Exception {
        String reason = LibvirtEventSource.unavailableReason();
        if (reason != null) {
            if ("1".equals(System.getenv("LIFEBOAT_REQUIRE_LIBVIRT"))) {
                fail("libvirt is required here but unavailable: " + reason);
            }
            System.out.println("SKIPPED LibvirtIngestionTest: " + reason);
            Assumptions.abort(reason);
        }
        String id = UUID.randomUUID().toString();
        try (KafkaTestClient kafka = new KafkaTestClient()) {
            kafka.publish(EventEnvelope.create(URI.create("/test"), new VmState(VmKey.of(SourceId.of("ov-lab"), id),
                    SourceKind.OVIRT, "db-1", new ClusterRef("c1", "cl1"), new HostRef(HostKey.of(SourceId.of("ov-lab"),
                    "h-1"), "hv-lab"), VmStatus.RUNNING, "up", null, List.of(), null, null, List.of(),
                    HighAvailability.NONE, null, null, null, Deletion.NONE, Map.of(), List.of(), null, Instant.now())));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> given().auth().preemptive().basic("viewer", "viewer")
                .get("/api/v1/hypervisors").then().extract().jsonPath().getList("connections.state", String.class)
                .contains("CONNECTED"));
        Path dump = Files.createTempFile("lifeboat-core", ".dump");
        Connect c = new Connect("test:///default");
        try {
            // oVirt names the domain after the VM and gives it the VM's id as UUID.
            Domain d = c.domainDefineXML("<domain type='test'><name>db-1</name><uuid>" + id + "</uuid>"
                    + "<memory>65536</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>");
            d.create();
            d.coreDump(dump.toString(), 1);
            d.undefine();
        } finally {
            c.close();
            Files.deleteIfExists(dump);
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<Map<String, Object>> l = given().auth().preemptive().basic("viewer", "viewer")
                    .queryParam("vm", "ov-lab/" + id).get("/api/v1/incidents").then().statusCode(200).extract()
                    .jsonPath().getList("");
            assertThat(l).hasSize(1);
            assertThat(l.get(0).get("kind")).isEqualTo("UNEXPECTED_STOP");
            assertThat(l.get(0).get("hypervisor")).isEqualTo("hv-lab");
            assertThat(l.get(0).get("vmName")).isEqualTo("db-1");
            assertThat(l.get(0).get("domainUuid")).isEqualTo(id);
        });
    }

    @Test
    void theLiveDomainXmlGivesTheWatchdogAndThePanicDevice() throws Exception {
        if (LibvirtEventSource.unavailableReason() != null) {
            Assumptions.abort(LibvirtEventSource.unavailableReason());
        }
        String id = UUID.randomUUID().toString();
        try (KafkaTestClient kafka = new KafkaTestClient()) {
            kafka.publish(EventEnvelope.create(URI.create("/test"), new VmState(VmKey.of(SourceId.of("ov-lab"), id),
                    SourceKind.OVIRT, "app-9", new ClusterRef("c1", "cl1"), new HostRef(HostKey.of(SourceId.of("ov-lab"),
                    "h-1"), "hv-lab"), VmStatus.RUNNING, "up", null, List.of(), null, null, List.of(),
                    HighAvailability.NONE, null, null, null, Deletion.NONE, Map.of(), List.of(), null, Instant.now())));
        }
        Connect c = new Connect("test:///default");
        try {
            Domain d = c.domainDefineXML("<domain type='test'><name>app-9</name><uuid>" + id + "</uuid>"
                    + "<memory>65536</memory><vcpu>1</vcpu><os><type>hvm</type></os><devices>"
                    + "<watchdog model='i6300esb' action='poweroff'/><panic model='isa'/></devices></domain>");
            d.create();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                List<Map<String, Object>> vms = given().auth().preemptive().basic("viewer", "viewer")
                        .queryParam("source", "ov-lab").get("/api/v1/coverage/vms").then().statusCode(200).extract()
                        .jsonPath().getList("");
                Map<String, Object> v = vms.stream().filter(x -> ("ov-lab/" + id).equals(x.get("vm"))).findFirst()
                        .orElse(null);
                assertThat(v).as("coverage of the VM").isNotNull();
                assertThat(v.get("watchdogAction")).isEqualTo("POWEROFF");
                assertThat(v.get("watchdogModel")).isEqualTo("i6300esb");
                assertThat(v.get("watchdogFrom")).isEqualTo("DOMAIN_XML");
                assertThat(v.get("panic")).isEqualTo(true);
            });
            d.destroy();
            d.undefine();
        } finally {
            c.close();
        }
    }
}
