package io.lifeboat.simulator;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openstack4j.api.OSClient.OSClientV3;
import org.openstack4j.api.exceptions.ServerResponseException;
import org.openstack4j.model.common.Identifier;
import org.openstack4j.model.compute.ext.Service;
import org.openstack4j.openstack.OSFactory;
import org.ovirt.engine.sdk4.Connection;
import org.ovirt.engine.sdk4.ConnectionBuilder;
import org.ovirt.engine.sdk4.Error;
import org.ovirt.engine.sdk4.types.Host;
import org.ovirt.engine.sdk4.types.HostStatus;
import org.ovirt.engine.sdk4.types.Vm;
import org.ovirt.engine.sdk4.types.VmStatus;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/** Errors, latency and network partitions injected through the control API, seen through the real SDKs. */
@QuarkusTest
class FaultInjectionTest {

    @TestHTTPResource("/")
    URL base;

    @BeforeEach
    void reseed() {
        SimulatorControl.reseed(7);
    }

    private String root() {
        return base.toString().replaceAll("/$", "");
    }

    private Connection ovirt() {
        return ConnectionBuilder.connection().url(root() + "/ovirt/ovirt-1/ovirt-engine/api")
                .user("admin@internal").password("lifeboat").timeout(10).build();
    }

    private OSClientV3 openstack() {
        return OSFactory.builderV3().endpoint(root() + "/openstack/openstack-1/identity/v3")
                .credentials("admin", "lifeboat", Identifier.byName("Default"))
                .scopeToProject(Identifier.byName("admin"), Identifier.byName("Default")).authenticate();
    }

    @Test
    void injectedErrorsComeInEachApisOwnFormatAndRunOut() throws Exception {
        given().contentType(ContentType.JSON).body(List.of(
                        Map.of("api", "ovirt", "operation", "ovirt.vms", "rate", 1.0, "status", 503,
                                "message", "engine overloaded", "remaining", 2),
                        Map.of("api", "nova", "source", "openstack-1", "operation", "nova.serversDetail",
                                "rate", 1.0, "status", 500)))
                .put("/sim/v1/faults/errors").then().statusCode(200).body("errors", hasSize(2));

        try (Connection c = ovirt()) {
            for (int i = 0; i < 2; i++) {
                assertThatThrownBy(() -> c.systemService().vmsService().list().send())
                        .isInstanceOf(Error.class).hasMessageContaining("engine overloaded")
                        .hasMessageContaining("HTTP response code is \"503\"");
            }
            // the rule had a budget of two failures
            assertThat(c.systemService().vmsService().list().send().vms()).hasSize(50);
            // other operations were never affected
            assertThat(c.systemService().hostsService().list().send().hosts()).hasSize(5);
        }
        OSClientV3 os = openstack();
        assertThatThrownBy(() -> os.compute().servers().list(Map.of("all_tenants", "1")))
                .isInstanceOf(ServerResponseException.class)
                .satisfies(e -> assertThat(((ServerResponseException) e).getStatus()).isEqualTo(500));
        given().header("X-Auth-Token", os.getToken().getId())
                .get(root() + "/openstack/openstack-1/compute/v2.1/servers/detail").then().statusCode(500)
                .body("computeFault.code", equalTo(500));

        given().delete("/sim/v1/faults").then().statusCode(204);
        assertThat(os.compute().servers().list(Map.of("all_tenants", "1"))).isNotEmpty();
    }

    @Test
    void injectedLatencyDelaysOnlyTheChosenApi() throws Exception {
        given().contentType(ContentType.JSON).body(List.of(Map.of("api", "ovirt", "meanMs", 400, "jitterMs", 0)))
                .put("/sim/v1/faults/latency").then().statusCode(200);
        try (Connection c = ovirt()) {
            c.systemService().get().send();   // includes the SSO round trip, which is not delayed
            long t0 = System.nanoTime();
            c.systemService().hostsService().list().send();
            assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(400);
        }
        long t1 = System.nanoTime();
        given().get("/sim/v1/status").then().statusCode(200);
        // the control API is never delayed; a generous bound keeps this from being a timing test
        assertThat((System.nanoTime() - t1) / 1_000_000).isLessThan(400);
    }

    @Test
    void networkPartitionLooksLikeAFailureToTheApisButTheGuestsKeepRunning() throws Exception {
        try (Connection c = ovirt()) {
            Host h = c.systemService().hostsService().list().send().hosts().get(2);
            List<Vm> running = c.systemService().vmsService().list().search("host=" + h.name() + " and status=up")
                    .send().vms();
            SimulatorControl.fail("ovirt-1", h.name(), "NETWORK_PARTITION");
            assertThat(c.systemService().hostsService().hostService(h.id()).get().send().host().status())
                    .isEqualTo(HostStatus.NON_RESPONSIVE);
            assertThat(c.systemService().vmsService().vmService(running.get(0).id()).get().send().vm().status())
                    .isEqualTo(VmStatus.UNKNOWN);
            List<Map<String, Object>> truth = SimulatorControl.truth("ovirt-1").jsonPath().getList("vms");
            assertThat(truth.stream().filter(v -> v.get("id").equals(running.get(0).id())).findFirst().orElseThrow())
                    .containsEntry("runsOnHostId", h.id());

            SimulatorControl.recover("ovirt-1", h.name());
            assertThat(c.systemService().vmsService().vmService(running.get(0).id()).get().send().vm().status())
                    .isEqualTo(VmStatus.UP);
        }
        OSClientV3 os = openstack();
        SimulatorControl.fail("openstack-1", "cmp1-a01", "NETWORK_PARTITION");
        await().pollInSameThread().atMost(Duration.ofSeconds(10)).until(() ->
                os.compute().services().list(Map.of("host", "cmp1-a01")).get(0).getState() == Service.State.DOWN);
        List<Map<String, Object>> servers = SimulatorControl.truth("openstack-1").jsonPath().getList("servers");
        assertThat(servers).filteredOn(s -> "cmp1-a01".equals(s.get("host")) && "active".equals(s.get("vmState")))
                .isNotEmpty().allSatisfy(s -> assertThat(s).containsEntry("running", true));
    }

    @Test
    void ovirtApiAnswersJsonWhenAsked() {
        String token = given().contentType(ContentType.URLENC).formParam("grant_type", "password")
                .formParam("scope", "ovirt-app-api").formParam("username", "admin@internal")
                .formParam("password", "lifeboat").post("/ovirt-engine/sso/oauth/token")
                .then().statusCode(200).extract().path("access_token");
        given().header("Authorization", "Bearer " + token).accept(ContentType.JSON)
                .queryParam("follow", "disk_attachments.disk").queryParam("max", 2)
                .get("/ovirt/ovirt-1/ovirt-engine/api/vms").then().statusCode(200)
                .contentType(ContentType.JSON)
                .body("vm", hasSize(2))
                .body("vm[0].disk_attachments.disk_attachment", hasSize(3))
                .body("vm[0].cpu.topology.threads", equalTo("1"));
        given().header("Authorization", "Bearer " + token).get("/ovirt/ovirt-1/ovirt-engine/api/nothing")
                .then().statusCode(404).contentType("application/xml");
        given().get("/ovirt/ovirt-1/ovirt-engine/api/vms").then().statusCode(401)
                .contentType("application/xml");
        given().contentType(ContentType.URLENC).formParam("grant_type", "password")
                .formParam("scope", "ovirt-app-api").formParam("username", "admin@internal")
                .formParam("password", "nope").post("/ovirt-engine/sso/oauth/token")
                .then().statusCode(400).body("error_code", equalTo("access_denied"));
    }

    /** A fault answers with the host it changed (a few hundred bytes); the whole ground truth only when asked. */
    @Test
    void aFaultAnswersWithTheHostItChangedAndTheWholeTruthOnRequest() {
        String answer = given().contentType(ContentType.JSON).body(Map.of("mode", "POWER_LOSS"))
                .post("/sim/v1/sources/ovirt-1/hosts/hv1-1-01/fail").then().statusCode(200)
                .body("source", equalTo("ovirt-1"))
                .body("host.name", equalTo("hv1-1-01"))
                .body("host.poweredOn", equalTo(false))
                .body("groundTruth", equalTo("/sim/v1/sources/ovirt-1/truth"))
                .extract().asString();
        org.assertj.core.api.Assertions.assertThat(answer.length()).isLessThan(1000);
        given().post("/sim/v1/sources/ovirt-1/hosts/hv1-1-01/recover?detail=full").then().statusCode(200)
                .body("hosts.find { it.name == 'hv1-1-01' }.poweredOn", equalTo(true))
                .body("vms.size()", org.hamcrest.Matchers.greaterThan(10));
        given().post("/sim/v1/sources/ovirt-1/hosts/hv1-1-01/recover?detail=yes").then().statusCode(400);
        String someHost = given().get("/sim/v1/sources/openstack-1/truth").then().extract().path("hosts[0].host");
        given().contentType(ContentType.JSON).body(Map.of("mode", "POWER_LOSS"))
                .post("/sim/v1/sources/openstack-1/hosts/" + someHost + "/fail").then().statusCode(200)
                .body("host.host", equalTo(someHost)).body("host.poweredOn", equalTo(false));
        given().post("/sim/v1/sources/openstack-1/hosts/" + someHost + "/recover").then().statusCode(200)
                .body("host.poweredOn", equalTo(true));
    }

    @Test
    void controlApiRejectsBadRequests() {
        given().contentType(ContentType.JSON).body(Map.of("mode", "EXPLODE"))
                .post("/sim/v1/sources/ovirt-1/hosts/hv1-1-01/fail").then().statusCode(400);
        given().contentType(ContentType.JSON).body(Map.of("mode", "POWER_LOSS"))
                .post("/sim/v1/sources/nowhere/hosts/x/fail").then().statusCode(404)
                .contentType("application/problem+json");
        given().contentType(ContentType.JSON).body(List.of(Map.of("api", "nova", "rate", 2.0, "status", 500)))
                .put("/sim/v1/faults/errors").then().statusCode(400);
        given().contentType(ContentType.JSON).body(Map.of("seed", 1, "ovirtEngines", 0, "openstackRegions", 0))
                .post("/sim/v1/topology").then().statusCode(400);
    }
}
