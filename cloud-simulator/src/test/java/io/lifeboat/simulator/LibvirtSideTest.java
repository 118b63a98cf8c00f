package io.lifeboat.simulator;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** The hypervisors' libvirt side: guest faults as virsh event lines, and each hypervisor's domain listing. */
@QuarkusTest
class LibvirtSideTest {

    @Test
    void guestFaultsGiveTheLinesVirshPrintsAndHypervisorsListTheirDomains() {
        JsonPath truth = given().get("/sim/v1/sources/openstack-1/truth").then().statusCode(200).extract().jsonPath();
        Map<String, Object> server = truth.<Map<String, Object>>getList("servers").stream()
                .filter(s -> "active".equals(s.get("vmState")) && s.get("host") != null).findFirst().orElseThrow();
        String id = (String) server.get("id");
        String host = (String) server.get("host");
        List<String> pause = given().contentType(ContentType.JSON).body(Map.of("kind", "WATCHDOG", "action", "pause"))
                .post("/sim/v1/sources/openstack-1/guests/" + id + "/fault").then().statusCode(200).extract()
                .jsonPath().getList("", String.class);
        assertThat(pause).hasSize(2);
        assertThat(pause.get(0)).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3}\\+0000: event 'watchdog'"
                + " for domain 'instance-[0-9a-f]{8}': pause");
        assertThat(pause.get(1)).endsWith(": Suspended Watchdog");
        List<String> io = given().contentType(ContentType.JSON).body(Map.of("kind", "IO_ERROR"))
                .post("/sim/v1/sources/openstack-1/guests/" + id + "/fault").then().statusCode(200).extract()
                .jsonPath().getList("", String.class);
        assertThat(io).hasSize(3);
        assertThat(io.get(1)).endsWith("(virtio-disk1) pause due to eio");
        String log = given().get("/sim/v1/sources/openstack-1/hypervisors/" + host + "/virsh-events").then()
                .statusCode(200).extract().asString();
        assertThat(log.lines().toList()).containsSubsequence(pause.get(0), pause.get(1), io.get(2));
        String domains = given().get("/sim/v1/sources/openstack-1/hypervisors/" + host + "/domains").then()
                .statusCode(200).extract().asString();
        String domainName = pause.get(0).replaceAll(".*for domain '([^']+)'.*", "$1");
        assertThat(domains.lines()).contains(id + " " + domainName + " running");
        given().contentType(ContentType.JSON).body(Map.of("kind", "WATCHDOG", "action", "explode"))
                .post("/sim/v1/sources/openstack-1/guests/" + id + "/fault").then().statusCode(400);
        // oVirt guests are named after the VM
        Map<String, Object> vm = given().get("/sim/v1/sources/ovirt-1/truth").then().extract().jsonPath()
                .<Map<String, Object>>getList("vms").stream().filter(v -> "up".equals(v.get("engineStatus")))
                .findFirst().orElseThrow();
        List<String> panic = given().contentType(ContentType.JSON).body(Map.of("kind", "PANIC"))
                .post("/sim/v1/sources/ovirt-1/guests/" + vm.get("id") + "/fault").then().statusCode(200).extract()
                .jsonPath().getList("", String.class);
        assertThat(panic).hasSize(1);
        assertThat(panic.get(0)).endsWith("for domain '" + vm.get("name") + "': Crashed Panicked");
    }
}
