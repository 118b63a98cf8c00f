package io.lifeboat.watchdog;

import io.lifeboat.testsupport.LifeboatInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;

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

    /**
     * Hypervisors follow the one identifier pattern in a path, a query and an event alike: "kvm 01", a traversal or a
     * zero-width space are refused with the rule, and a 253-character DNS name (the longest there is) is taken.
     */
    @Test
    void hypervisorNamesFollowTheOneIdentifierPatternEverywhere() {
        for (String bad : new String[] {"kvm 01", "..%2F..%2Fetc%2Fpasswd", "kvm\u200b01"}) {
            given().auth().preemptive().basic("agent", "agent").contentType(ContentType.TEXT).body("vm-1\n")
                    .urlEncodingEnabled(!bad.contains("%")).put("/api/v1/hypervisors/" + bad + "/domains").then()
                    .statusCode(400).contentType("application/problem+json")
                    .body("type", equalTo("urn:lifeboat:problem:invalid-parameter"))
                    .body("detail", startsWith("path parameter 'hypervisor' "));
        }
        given().auth().preemptive().basic("viewer", "viewer").queryParam("hypervisor", "a/b/c")
                .get("/api/v1/hypervisors/leftovers").then().statusCode(400)
                .body("type", equalTo("urn:lifeboat:problem:invalid-parameter"))
                .body("detail", startsWith("query parameter 'hypervisor' is not an id"));
        String dnsMaximum = ("h".repeat(63) + ".").repeat(3) + "k".repeat(61);
        given().auth().preemptive().basic("agent", "agent").contentType(ContentType.TEXT).body("vm-long\n")
                .put("/api/v1/hypervisors/" + dnsMaximum + "/domains").then().statusCode(200)
                .body("hypervisor", equalTo(dnsMaximum));
        // In an event batch the bad item is refused with its reason and the good one is taken.
        given().auth().preemptive().basic("agent", "agent").contentType(ContentType.JSON).body("""
                [{"hypervisor":"kvm 01","domainName":"vm-a","kind":"WATCHDOG","watchdogAction":"pause",\
                  "occurredAt":"2026-12-02T10:00:00Z"},
                 {"hypervisor":"kvm-01","domainName":"vm-a","kind":"WATCHDOG","watchdogAction":"pause",\
                  "occurredAt":"2026-12-02T10:00:00Z"}]""")
                .post("/api/v1/events").then().statusCode(202)
                .body("accepted", equalTo(1))
                .body("rejected[0].item", equalTo(0))
                .body("rejected[0].reason", startsWith("'hypervisor' contains U+0020 at position 3"));
    }
}
