package io.lifeboat.simulator;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

import java.util.Map;

import static io.restassured.RestAssured.given;

/** The control API as tests use it: reseed, fail and recover hosts, read the ground truth and the call counts. */
final class SimulatorControl {

    private SimulatorControl() {
    }

    static void reseed(long seed) {
        given().contentType(ContentType.JSON).body(Map.ofEntries(
                        Map.entry("seed", seed), Map.entry("ovirtEngines", 1), Map.entry("openstackRegions", 1),
                        Map.entry("clustersPerSource", 1), Map.entry("hostsPerCluster", 5),
                        Map.entry("vmsPerHost", 10), Map.entry("disksPerVm", 3), Map.entry("directLunFraction", 0.5),
                        Map.entry("sharedLunFraction", 0.1), Map.entry("blockDomainsPerEngine", 1),
                        Map.entry("haFraction", 0.3), Map.entry("pinnedFraction", 0.1),
                        Map.entry("watchdogFraction", 0.4), Map.entry("softDeletedFraction", 0.1),
                        Map.entry("downFraction", 0.1)))
                .post("/sim/v1/topology").then().statusCode(200);
        given().delete("/sim/v1/faults").then().statusCode(204);
        given().delete("/sim/v1/calls").then().statusCode(204);
    }

    static void fail(String source, String host, String mode) {
        given().contentType(ContentType.JSON).body(Map.of("mode", mode))
                .post("/sim/v1/sources/" + source + "/hosts/" + host + "/fail").then().statusCode(200);
    }

    static void recover(String source, String host) {
        given().post("/sim/v1/sources/" + source + "/hosts/" + host + "/recover").then().statusCode(200);
    }

    static Response truth(String source) {
        return given().get("/sim/v1/sources/" + source + "/truth").then().statusCode(200).extract().response();
    }

    static long calls(String key) {
        Object v = given().get("/sim/v1/calls").then().statusCode(200).extract().jsonPath().getMap("$").get(key);
        return v == null ? 0 : ((Number) v).longValue();
    }
}
