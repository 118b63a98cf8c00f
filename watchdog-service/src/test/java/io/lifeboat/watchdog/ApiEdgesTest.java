package io.lifeboat.watchdog;

import io.lifeboat.testsupport.LifeboatInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

/** The answers a caller gets at the edges: authentication, roles, malformed numbers, oversized listings. */
@QuarkusTest
@QuarkusTestResource(LifeboatInfra.class)
class ApiEdgesTest {

    @Test
    void missingOrWrongCredentialsAre401ProblemsWithTheChallenge() {
        given().get("/api/v1/incidents").then()
                .statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", matchesPattern("(?i)basic realm=\"lifeboat\".*"))
                .body("type", equalTo("urn:lifeboat:problem:unauthorized"))
                .body("status", equalTo(401))
                .body("instance", equalTo("/api/v1/incidents"));
        given().auth().preemptive().basic("viewer", "not-the-password").get("/api/v1/incidents").then()
                .statusCode(401).contentType("application/problem+json")
                .body("type", equalTo("urn:lifeboat:problem:unauthorized"));
    }

    @Test
    void aRoleThatDoesNotAllowTheOperationIsA403Problem() {
        given().auth().preemptive().basic("viewer", "viewer").contentType(ContentType.TEXT).body("vm-1")
                .put("/api/v1/hypervisors/edge-hv/domains").then()
                .statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("urn:lifeboat:problem:forbidden"))
                .body("status", equalTo(403));
    }

    /** JAX-RS answers 404 when a parameter cannot be converted; the resource exists, so it is a 400. */
    @Test
    void aLimitThatIsNotANumberIsA400NotA404() {
        for (String bad : new String[] {"abc", "1.5", "99999999999"}) {
            given().auth().preemptive().basic("viewer", "viewer").queryParam("limit", bad).get("/api/v1/incidents")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("type", equalTo("urn:lifeboat:problem:invalid-parameter"));
        }
        given().auth().preemptive().basic("viewer", "viewer").queryParam("limit", "0").get("/api/v1/incidents")
                .then().statusCode(400).body("type", equalTo("urn:lifeboat:problem:invalid-limit"));
    }

    /** A 1 MB token in a listing overflowed a 255-character column (a 500); it is refused with the line's number. */
    @Test
    void aListingTokenLongerThanAnyColumnIsRefusedWithItsLine() {
        String listing = "vm-ok\n" + "x".repeat(1_000_000) + "\n";
        given().auth().preemptive().basic("agent", "agent").contentType(ContentType.TEXT).body(listing)
                .put("/api/v1/hypervisors/edge-hv/domains").then()
                .statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:lifeboat:problem:invalid-listing"))
                .body("detail", equalTo("line 2: '" + "x".repeat(80) + "…' is 1000000 characters long; at most 255"
                        + " are accepted"));
        given().auth().preemptive().basic("agent", "agent").contentType(ContentType.TEXT).body("vm\u0000a\n")
                .put("/api/v1/hypervisors/edge-hv/domains").then()
                .statusCode(400)
                .body("detail", equalTo("line 1: 'vm\u0000a' contains the control character U+0000 at position 2;"
                        + " control characters are not accepted"));
    }
}
