package io.lifeboat.simulator;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The hosts' management network: each powered, reachable host accepts TCP connections on its own loopback address,
 * which the Nova hypervisor's host_ip and the oVirt host's address name; a power loss, a network partition or a
 * Redfish ForceOff closes it, a storage loss does not, and the host's recovery reopens it.
 */
@QuarkusTest
@TestProfile(ManagementNetworkTest.WithManagementNetwork.class)
class ManagementNetworkTest {

    static final int PORT = freePort();

    public static class WithManagementNetwork implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("simulator.management.port", String.valueOf(PORT), "simulator.management.octet", "78");
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean accepts(String address) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, PORT), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String address(String source, String field, String host) {
        List<Map<String, Object>> hosts = given().get("/sim/v1/sources/" + source + "/truth").then().statusCode(200)
                .extract().jsonPath().getList("hosts");
        return (String) hosts.stream().filter(h -> host.equals(h.get(field))).findFirst().orElseThrow()
                .get("address");
    }

    private static void fail(String source, String host, String mode) {
        given().contentType(ContentType.JSON).body(Map.of("mode", mode))
                .post("/sim/v1/sources/" + source + "/hosts/" + host + "/fail").then().statusCode(200);
    }

    @Test
    void aHostsPortFollowsItsPowerAndItsNetwork() {
        String a01 = address("openstack-1", "host", "cmp1-a01");
        String a02 = address("openstack-1", "host", "cmp1-a02");
        String a03 = address("openstack-1", "host", "cmp1-a03");
        String hv = address("ovirt-1", "name", "hv1-1-02");
        assertThat(List.of(a01, a02, a03, hv)).allMatch(a -> a.startsWith("127.78.")).doesNotHaveDuplicates();
        await().atMost(Duration.ofSeconds(5)).until(() -> accepts(a01) && accepts(a02) && accepts(a03)
                && accepts(hv));
        // The APIs name the same addresses.
        assertThat(given().get("/sim/v1/sources/openstack-1/truth").then().extract().jsonPath()
                .getList("hosts.address")).contains(a01);

        fail("openstack-1", "cmp1-a01", "POWER_LOSS");
        fail("ovirt-1", "hv1-1-02", "NETWORK_PARTITION");
        fail("openstack-1", "cmp1-a02", "STORAGE_LOSS");
        given().contentType(ContentType.JSON).body(Map.of("ResetType", "ForceOff")).auth().preemptive()
                .basic("admin", "lifeboat").post("/redfish/v1/Systems/openstack-1.cmp1-a03/Actions/ComputerSystem.Reset")
                .then().statusCode(204);
        await().atMost(Duration.ofSeconds(5)).until(() -> !accepts(a01) && !accepts(hv) && !accepts(a03));
        assertThat(accepts(a02)).as("a storage loss leaves the host reachable").isTrue();

        for (String[] h : new String[][]{{"openstack-1", "cmp1-a01"}, {"ovirt-1", "hv1-1-02"},
                {"openstack-1", "cmp1-a02"}, {"openstack-1", "cmp1-a03"}}) {
            given().post("/sim/v1/sources/" + h[0] + "/hosts/" + h[1] + "/recover").then().statusCode(200);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> accepts(a01) && accepts(hv) && accepts(a03));
    }
}
