package io.lifeboat.simulator;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
class SimulatorEndpointsTest {

    @Test
    void healthMetricsOpenApiAndControlStatus() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("info.title", equalTo("Lifeboat cloud-simulator"));
        given().get("/sim/v1/status").then().statusCode(200)
                .body("name", equalTo("lifeboat-cloud-simulator"))
                .body("startedAt", notNullValue());
    }
}
