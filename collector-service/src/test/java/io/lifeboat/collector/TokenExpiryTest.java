package io.lifeboat.collector;

import io.lifeboat.testsupport.LifeboatInfra;
import io.lifeboat.testsupport.SimulatorProcess;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Tokens die in real clouds: an oVirt engine restarts or its SSO session times out, Keystone revokes tokens or rotates
 * its fernet keys away. The simulator answers 401 to a token it no longer knows, as they do. Each cycle after an
 * expiry must still be COMPLETE, made on a new login, and counted as a re-authentication; not once and not twice but
 * every time (the oVirt SDK leaks a pooled connection on each 401 and its pool holds two: a client that does not
 * rebuild its connection hangs at the second).
 */
@QuarkusTest
@QuarkusTestResource(LifeboatInfra.class)
@QuarkusTestResource(SimulatedSources.class)
class TokenExpiryTest {

    private static String sim() {
        return SimulatorProcess.get().url();
    }

    private static String refresh(String source) {
        return given().auth().preemptive().basic("operator", "operator").queryParam("wait", true)
                .post("/api/v1/sources/" + source + "/refresh").then().statusCode(200).extract().jsonPath()
                .getString("outcome");
    }

    private static double reauthentications(String source) {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("lifeboat_collector_api_reauthentications_total\\{source=\"" + source
                + "\"} ([0-9.E+]+)").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void everyCycleAfterAnExpiredTokenIsCompleteOnANewLogin() {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2))
                .until(() -> "COMPLETE".equals(refresh("ovirt-1")) && "COMPLETE".equals(refresh("openstack-1")));
        double ovirtBefore = reauthentications("ovirt-1");
        double openstackBefore = reauthentications("openstack-1");

        for (int round = 1; round <= 4; round++) {
            int expired = given().post(sim() + "/sim/v1/ovirt/expire-tokens").then().statusCode(200).extract()
                    .jsonPath().getInt("expired");
            int revoked = given().post(sim() + "/sim/v1/keystone/revoke-tokens").then().statusCode(200).extract()
                    .jsonPath().getInt("revoked");
            assertThat(expired).as("round %d: the collector held an oVirt token", round).isPositive();
            assertThat(revoked).as("round %d: the collector held a Keystone token", round).isPositive();
            // the first cycle after the expiry, not an eventual one; bounded, so a hung connection fails the test
            String ovirt = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> refresh("ovirt-1"));
            String openstack = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> refresh("openstack-1"));
            assertThat(ovirt).as("round %d, ovirt-1", round).isEqualTo("COMPLETE");
            assertThat(openstack).as("round %d, openstack-1", round).isEqualTo("COMPLETE");
        }
        assertThat(reauthentications("ovirt-1") - ovirtBefore).isGreaterThanOrEqualTo(4);
        assertThat(reauthentications("openstack-1") - openstackBefore).isGreaterThanOrEqualTo(4);
    }

    /**
     * Why the collector's client must rebuild its connection: the bare SDK, against the same simulator, answers the
     * first expiry by logging in again and resending by itself, and waits forever at the second (the 401 answer's
     * pooled connection is never released, and the resend holds the other one of its pool of two).
     */
    @Test
    void theBareSdkHangsAtTheSecondExpiry() throws Exception {
        org.ovirt.engine.sdk4.Connection c = org.ovirt.engine.sdk4.ConnectionBuilder.connection()
                .url(sim() + "/ovirt/ovirt-1/ovirt-engine/api").user("admin@internal").password("lifeboat")
                .timeout(5).build();
        int hosts = c.systemService().hostsService().list().send().hosts().size();
        given().post(sim() + "/sim/v1/ovirt/expire-tokens").then().statusCode(200);
        assertThat(assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
                c.systemService().hostsService().list().send().hosts().size())).isEqualTo(hosts);
        given().post(sim() + "/sim/v1/ovirt/expire-tokens").then().statusCode(200);
        java.util.concurrent.Future<Integer> second = java.util.concurrent.Executors.newSingleThreadExecutor()
                .submit(() -> c.systemService().hostsService().list().send().hosts().size());
        assertThatThrownBy(() -> second.get(8, java.util.concurrent.TimeUnit.SECONDS))
                .isInstanceOf(java.util.concurrent.TimeoutException.class);
        second.cancel(true);
    }
}
