package io.lifeboat.watchdog;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.lifeboat.testsupport.KeycloakServer;
import io.lifeboat.testsupport.LifeboatInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * OIDC against a real Keycloak (started from the Maven distribution, realms imported from
 * src/test/resources/keycloak): real tokens for each role, groups mapped to roles, an agent confined to the hypervisors
 * its token names; an expired token, a token of another issuer and a token for another audience refused. The built-in
 * basic-auth users of the test profile keep working beside it.
 */
@QuarkusTest
@QuarkusTestResource(LifeboatInfra.class)
@TestProfile(OidcKeycloakTest.WithKeycloak.class)
class OidcKeycloakTest {

    static final String LINE = "2026-12-03 10:00:02.482+0000: event 'lifecycle' for domain 'instance-0000a1b2':"
            + " Stopped Crashed\n";

    public static class WithKeycloak implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            KeycloakServer kc = keycloak();
            return Map.of("quarkus.oidc.tenant-enabled", "true",
                    "quarkus.oidc.auth-server-url", kc.issuer("lifeboat"),
                    "quarkus.oidc.client-id", "lifeboat");
        }
    }

    static KeycloakServer keycloak() {
        return KeycloakServer.get(List.of(Path.of("src/test/resources/keycloak/lifeboat-realm.json"),
                Path.of("src/test/resources/keycloak/other-realm.json")));
    }

    static String user(String name, String client) {
        return keycloak().userToken("lifeboat", client, name, name + "-password");
    }

    @Test
    void aViewerReadsButMayNotActOrIngest() {
        String token = user("viewer1", "lifeboat-cli");
        given().auth().oauth2(token).get("/api/v1/incidents").then().statusCode(200);
        given().auth().oauth2(token).contentType("text/plain").body(LINE)
                .post("/api/v1/events/virsh?hypervisor=cmp1-a01").then().statusCode(403)
                .contentType("application/problem+json").body("type", containsString("forbidden"));
    }

    @Test
    void anOperatorReadsAndIngestsForAnyHypervisor() {
        String token = user("operator1", "lifeboat-cli");
        given().auth().oauth2(token).get("/api/v1/incidents").then().statusCode(200);
        given().auth().oauth2(token).contentType("text/plain").body(LINE)
                .post("/api/v1/events/virsh?hypervisor=cmp7-z99").then().statusCode(202).body("accepted", equalTo(1));
    }

    @Test
    void anAgentPostsOnlyForTheHypervisorsItsTokenNames() throws Exception {
        String token = keycloak().clientToken("lifeboat", "agent-cmp1-a01", "agent-cmp1-a01-secret");
        JsonNode claims = claims(token);
        assertThat(claims.path("groups").toString()).isEqualTo("[\"agent\"]");
        assertThat(claims.path("hypervisors").toString()).isEqualTo("[\"cmp1-a01\"]");
        given().auth().oauth2(token).contentType("text/plain").body(LINE)
                .post("/api/v1/events/virsh?hypervisor=cmp1-a01").then().statusCode(202).body("accepted", equalTo(1));
        given().auth().oauth2(token).contentType("text/plain").body(LINE)
                .post("/api/v1/events/virsh?hypervisor=cmp1-a02").then().statusCode(403)
                .contentType("application/problem+json").body("type", containsString("hypervisor-not-allowed"))
                .body("detail", containsString("may post only for cmp1-a01, not for cmp1-a02"));
        // A JSON batch naming another hypervisor is refused whole.
        String batch = "[{\"hypervisor\":\"cmp1-a01\",\"domainUuid\":\"6f1c2e0a-0000-4000-8000-000000000001\","
                + "\"domainName\":\"instance-1\",\"kind\":\"LIFECYCLE\",\"lifecycleType\":\"Stopped\",\"lifecycleDetail\":\"Crashed\","
                + "\"occurredAt\":\"" + Instant.now() + "\"},{\"hypervisor\":\"cmp1-a02\",\"domainUuid\":"
                + "\"6f1c2e0a-0000-4000-8000-000000000002\",\"domainName\":\"instance-2\",\"kind\":\"LIFECYCLE\","
                + "\"lifecycleType\":\"Stopped\",\"lifecycleDetail\":\"Crashed\",\"occurredAt\":\"" + Instant.now() + "\"}]";
        given().auth().oauth2(token).contentType("application/json").body(batch)
                .post("/api/v1/events").then().statusCode(403).body("type", containsString("hypervisor-not-allowed"));
        given().auth().oauth2(token).contentType("text/plain").body("")
                .put("/api/v1/hypervisors/cmp1-a02/domains").then().statusCode(403);
        // An agent reads nothing.
        given().auth().oauth2(token).get("/api/v1/incidents").then().statusCode(403);
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        // The service has the realm's keys already (a first token), so the short one is judged on its time alone.
        given().auth().oauth2(user("operator1", "lifeboat-cli")).get("/api/v1/incidents").then().statusCode(200);
        String token = user("operator1", "lifeboat-cli-short");
        Instant exp = Instant.ofEpochSecond(claims(token).path("exp").asLong());
        assertThat(Duration.between(Instant.now(), exp)).isLessThanOrEqualTo(Duration.ofSeconds(6));
        // Taken while it lives, then refused once its exp has passed (polled: no fixed sleep).
        given().auth().oauth2(token).get("/api/v1/incidents").then().statusCode(200);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> given().auth().oauth2(token).get("/api/v1/incidents").statusCode() == 401);
        assertThat(Instant.now()).isAfter(exp);
        given().auth().oauth2(token).get("/api/v1/incidents").then().statusCode(401)
                .contentType("application/problem+json");
    }

    @Test
    void aTokenOfAnotherIssuerIsRefused() throws Exception {
        String token = keycloak().userToken("other", "lifeboat-cli", "operator1", "operator1-password");
        assertThat(claims(token).path("iss").asText()).endsWith("/realms/other");
        assertThat(claims(token).path("groups").toString()).isEqualTo("[\"operator\"]");
        given().auth().oauth2(token).get("/api/v1/incidents").then().statusCode(401);
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() throws Exception {
        String token = user("operator1", "other-app");
        assertThat(claims(token).path("aud").toString()).doesNotContain("\"lifeboat\"");
        assertThat(claims(token).path("groups").toString()).isEqualTo("[\"operator\"]");
        given().auth().oauth2(token).get("/api/v1/incidents").then().statusCode(401);
    }

    @Test
    void noTokenAGarbledOneAndTheBuiltInUsers() {
        given().get("/api/v1/incidents").then().statusCode(401);
        given().auth().oauth2("not.a.token").get("/api/v1/incidents").then().statusCode(401);
        given().auth().preemptive().basic("viewer", "viewer").get("/api/v1/incidents").then().statusCode(200);
    }

    static JsonNode claims(String jwt) throws Exception {
        return new ObjectMapper().readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }
}
