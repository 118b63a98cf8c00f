package io.lifeboat.simulator;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/** With a control token set (as the local stack does), changing the simulated world needs it; reading does not. */
@QuarkusTest
@TestProfile(ControlAuthTest.WithToken.class)
class ControlAuthTest {

    public static class WithToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("simulator.control.token", "s3cret-token");
        }
    }

    @Test
    void changesNeedTheTokenAndReadsDoNot() {
        given().contentType(ContentType.JSON).body(Map.of("mode", "POWER_LOSS"))
                .post("/sim/v1/sources/ovirt-1/hosts/hv1-1-01/fail").then()
                .statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer realm=\"simulator-control\"")
                .body("type", equalTo("urn:lifeboat:problem:unauthorized"));
        given().header("Authorization", "Bearer wrong").contentType(ContentType.JSON)
                .body(Map.of("mode", "POWER_LOSS")).post("/sim/v1/sources/ovirt-1/hosts/hv1-1-01/fail").then()
                .statusCode(401);
        // nothing changed: the host is still powered on
        given().get("/sim/v1/sources/ovirt-1/truth").then().statusCode(200)
                .body("hosts.find { it.name == 'hv1-1-01' }.poweredOn", equalTo(true));
        given().header("Authorization", "Bearer s3cret-token").contentType(ContentType.JSON)
                .body(Map.of("mode", "POWER_LOSS")).post("/sim/v1/sources/ovirt-1/hosts/hv1-1-01/fail").then()
                .statusCode(200).body("host.poweredOn", equalTo(false));
        given().header("Authorization", "Bearer s3cret-token")
                .post("/sim/v1/sources/ovirt-1/hosts/hv1-1-01/recover").then().statusCode(200)
                .body("host.poweredOn", equalTo(true));
    }
}
