package io.lifeboat.simulator;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/** Every simulated hypervisor's BMC, as a Redfish client (a fencer) sees it. */
@QuarkusTest
class RedfishTest {

    @BeforeEach
    void reseed() {
        SimulatorControl.reseed(42);
    }

    private static io.restassured.specification.RequestSpecification bmc() {
        return given().auth().preemptive().basic("admin", "lifeboat");
    }

    @Test
    void forceOffFencesTheHostAndOnBringsItBack() {
        bmc().get("/redfish/v1/Systems").then().statusCode(200)
                .body("Members", hasSize(10)).body("'Members@odata.count'", equalTo(10));
        String system = "/redfish/v1/Systems/ovirt-1.hv1-1-02";
        bmc().get(system).then().statusCode(200).body("PowerState", equalTo("On"))
                .body("Actions.'#ComputerSystem.Reset'.target", equalTo(system + "/Actions/ComputerSystem.Reset"));

        bmc().contentType(ContentType.JSON).body(Map.of("ResetType", "ForceOff"))
                .post(system + "/Actions/ComputerSystem.Reset").then().statusCode(204);

        bmc().get(system).then().statusCode(200).body("PowerState", equalTo("Off"));
        JsonPath truth = SimulatorControl.truth("ovirt-1").jsonPath();
        assertThat(truth.getBoolean("hosts.find { it.name == 'hv1-1-02' }.poweredOn")).isFalse();
        assertThat(truth.getString("hosts.find { it.name == 'hv1-1-02' }.engineStatus")).isEqualTo("non_responsive");
        String hostId = truth.getString("hosts.find { it.name == 'hv1-1-02' }.id");
        List<Map<String, Object>> vms = truth.getList("vms");
        List<Object> wereThere = vms.stream().filter(v -> hostId.equals(v.get("engineHostId")))
                .map(v -> v.get("id")).toList();
        assertThat(wereThere).isNotEmpty();
        assertThat(vms).filteredOn(v -> wereThere.contains(v.get("id")))
                .allSatisfy(v -> assertThat(v.get("runsOnHostId")).isNull());

        bmc().contentType(ContentType.JSON).body(Map.of("ResetType", "On"))
                .post(system + "/Actions/ComputerSystem.Reset").then().statusCode(204);
        JsonPath after = SimulatorControl.truth("ovirt-1").jsonPath();
        assertThat(after.getString("hosts.find { it.name == 'hv1-1-02' }.engineStatus")).isEqualTo("up");
        // the guests died with the power: the engine sets them down (non-pinned ones lose their host)
        List<Map<String, Object>> afterVms = after.getList("vms");
        assertThat(afterVms).filteredOn(v -> wereThere.contains(v.get("id")))
                .hasSize(wereThere.size()).allSatisfy(v -> assertThat(v.get("engineStatus")).isEqualTo("down"));
    }

    @Test
    void openstackComputeStopsHeartBeatingWhenForcedOff() {
        bmc().contentType(ContentType.JSON).body(Map.of("ResetType", "ForceOff"))
                .post("/redfish/v1/Systems/openstack-1.cmp1-a01/Actions/ComputerSystem.Reset").then().statusCode(204);
        JsonPath truth = SimulatorControl.truth("openstack-1").jsonPath();
        assertThat(truth.getBoolean("hosts.find { it.host == 'cmp1-a01' }.poweredOn")).isFalse();
        assertThat(truth.getList("servers.findAll { it.host == 'cmp1-a01' }.running", Boolean.class))
                .containsOnly(false);
        assertThat(SimulatorControl.calls("- redfish.reset")).isEqualTo(1);
    }

    @Test
    void refusalsComeAsRedfishErrors() {
        given().get("/redfish/v1/Systems").then().statusCode(401)
                .body("error.code", equalTo("Base.1.8.InsufficientPrivilege"));
        bmc().get("/redfish/v1/Systems/nowhere.x").then().statusCode(404)
                .body("error.code", equalTo("Base.1.8.ResourceMissingAtURI"));
        bmc().contentType(ContentType.JSON).body(Map.of("ResetType", "Explode"))
                .post("/redfish/v1/Systems/ovirt-1.hv1-1-01/Actions/ComputerSystem.Reset").then().statusCode(400)
                .body("error.code", equalTo("Base.1.8.ActionParameterValueNotInList"));
        bmc().contentType(ContentType.JSON).body(Map.of())
                .post("/redfish/v1/Systems/ovirt-1.hv1-1-01/Actions/ComputerSystem.Reset").then().statusCode(400)
                .body("error.code", equalTo("Base.1.8.ActionParameterMissing"));
        bmc().get("/redfish/v1/Systems/ovirt-1.hv1-1-01").then().statusCode(200).body("PowerState", equalTo("On"));
    }

    /**
     * As real BMCs: a ForceOff of a chassis already off is refused (409 by default, 400 or 204 when set), and the
     * PowerState lags the power by the configured interval, then tells the truth.
     */
    @Test
    void aResetOfAnOffChassisIsRefusedAndThePowerStateLagsThePower() {
        String system = "/redfish/v1/Systems/openstack-1.cmp1-a02";
        try {
            given().contentType(ContentType.JSON).body(Map.of("powerStateLag", "PT30S")).put("/sim/v1/redfish")
                    .then().statusCode(200).body("powerStateLag", equalTo("PT30S")).body("resetWhenOff", equalTo(409));
            given().contentType(ContentType.JSON).body(Map.of("mode", "POWER_LOSS"))
                    .post("/sim/v1/sources/openstack-1/hosts/cmp1-a02/fail").then().statusCode(200);
            bmc().get(system).then().statusCode(200).body("PowerState", equalTo("On"));   // the sensor lags
            bmc().contentType(ContentType.JSON).body(Map.of("ResetType", "ForceOff"))
                    .post(system + "/Actions/ComputerSystem.Reset").then().statusCode(409)
                    .body("error.code", equalTo("Base.1.8.ActionNotSupported"));
            given().contentType(ContentType.JSON).body(Map.of("powerStateLag", "PT0S", "resetWhenOff", 204))
                    .put("/sim/v1/redfish").then().statusCode(200);
            bmc().get(system).then().statusCode(200).body("PowerState", equalTo("Off"));
            bmc().contentType(ContentType.JSON).body(Map.of("ResetType", "ForceOff"))
                    .post(system + "/Actions/ComputerSystem.Reset").then().statusCode(204);
            given().contentType(ContentType.JSON).body(Map.of("resetWhenOff", 500)).put("/sim/v1/redfish")
                    .then().statusCode(400);
        } finally {
            given().contentType(ContentType.JSON).body(Map.of("powerStateLag", "PT0S", "resetWhenOff", 409))
                    .put("/sim/v1/redfish").then().statusCode(200);
        }
    }

    /** A total power loss takes the BMC with the host: it answers nothing until the power is back. */
    @Test
    void aTotalPowerLossLeavesABmcThatAnswersNothing() {
        given().contentType(ContentType.JSON).body(Map.of("mode", "TOTAL_POWER_LOSS"))
                .post("/sim/v1/sources/ovirt-1/hosts/hv1-1-02/fail").then().statusCode(200)
                .body("host.poweredOn", equalTo(false)).body("host.bmcPowered", equalTo(false));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> bmc().get("/redfish/v1/Systems/ovirt-1.hv1-1-02"))
                .isInstanceOf(java.io.IOException.class);
        given().post("/sim/v1/sources/ovirt-1/hosts/hv1-1-02/recover").then().statusCode(200)
                .body("host.bmcPowered", equalTo(true));
        bmc().get("/redfish/v1/Systems/ovirt-1.hv1-1-02").then().statusCode(200).body("PowerState", equalTo("On"));
    }
}
