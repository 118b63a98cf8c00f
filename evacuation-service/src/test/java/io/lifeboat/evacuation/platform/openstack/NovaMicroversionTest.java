package io.lifeboat.evacuation.platform.openstack;

import io.lifeboat.evacuation.config.EvacuationConfig;
import io.lifeboat.cloud.CloudCalls;
import io.lifeboat.testsupport.SimulatorProcess;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Nova older than the configured microversion (the simulator's region serving at most 2.52, as Nova before Pike):
 * the client negotiates down to what Nova serves, as python-novaclient does, and forces a failed host down with the
 * 2.11 form; at 2.53 the same call is the one by service id. Expectations come from the simulator's ground truth and
 * its count of the calls it received.
 */
class NovaMicroversionTest {

    private static final String OS = "openstack-1";
    private static final String HOST = "cmp1-a04";

    private static String sim() {
        return SimulatorProcess.get().url();
    }

    /** The source's configuration as an operator would write it, at the given microversion. */
    private static EvacuationConfig.Source source(String microversion) {
        Map<String, Object> values = Map.ofEntries(Map.entry("url", sim() + "/openstack/" + OS + "/identity/v3"),
                Map.entry("username", "admin"), Map.entry("password", java.util.Optional.of("lifeboat")),
                Map.entry("passwordFile", java.util.Optional.empty()), Map.entry("userDomain", "Default"),
                Map.entry("project", "admin"), Map.entry("projectDomain", "Default"),
                Map.entry("endpointInterface", "public"), Map.entry("computeMicroversion", microversion),
                Map.entry("trustStore", java.util.Optional.empty()),
                Map.entry("trustStorePassword", java.util.Optional.empty()), Map.entry("insecure", false),
                Map.entry("callTimeout", Duration.ofSeconds(30)), Map.entry("retries", 1));
        return (EvacuationConfig.Source) Proxy.newProxyInstance(EvacuationConfig.Source.class.getClassLoader(),
                new Class<?>[] {EvacuationConfig.Source.class}, (proxy, method, args) -> {
                    if (!values.containsKey(method.getName())) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    return values.get(method.getName());
                });
    }

    private static NovaHttpClient nova(String microversion) {
        return new NovaHttpClient(source(microversion), new CloudCalls(OS, "lifeboat.evacuation",
                Duration.ofSeconds(30), 1, new SimpleMeterRegistry()), Clock.systemUTC());
    }

    private static void maxMicroversion(String max) {
        given().contentType(ContentType.JSON).body(Map.of("maxMicroversion", max))
                .put(sim() + "/sim/v1/sources/" + OS + "/settings").then().statusCode(200);
    }

    private static Map<String, Object> truth() {
        return given().get(sim() + "/sim/v1/sources/" + OS + "/truth").then().statusCode(200).extract().jsonPath()
                .getMap("hosts.find { it.host == '" + HOST + "' }");
    }

    private static long calls(String operation) {
        Object n = given().get(sim() + "/sim/v1/calls").then().statusCode(200).extract().jsonPath()
                .getMap("").get(OS + " " + operation);
        return n == null ? 0 : ((Number) n).longValue();
    }

    @AfterEach
    void newerNovaAndTheHostBack() {
        maxMicroversion("2.96");
        nova("2.53").unfence(HOST);
        assertThat(truth().get("forcedDown")).isEqualTo(false);
        assertThat(truth().get("serviceStatus")).isEqualTo("enabled");
    }

    @Test
    void belowTheConfiguredMicroversionTheHighestServedIsUsedAndTheHostForcedDownWithThe211Form() {
        maxMicroversion("2.52");
        NovaHttpClient nova = nova("2.53");
        long updatesBefore = calls("nova.updateService");
        NovaApi.ComputeService s = nova.forceDown(HOST, "lifeboat: fenced");
        assertThat(nova.microversion()).isEqualTo(52);
        assertThat(s.forcedDown()).isTrue();
        assertThat(s.status()).isEqualTo("disabled");
        assertThat(s.disabledReason()).isEqualTo("lifeboat: fenced");
        // the 2.11 form: force-down, then disable with the reason; no refused 2.53 call before them
        assertThat(calls("nova.updateService") - updatesBefore).isEqualTo(2);
        assertThat(truth().get("forcedDown")).isEqualTo(true);
        assertThat(truth().get("serviceStatus")).isEqualTo("disabled");
    }

    @Test
    void atTheConfiguredMicroversionTheServiceIsUpdatedByItsId() {
        NovaHttpClient nova = nova("2.53");
        long updatesBefore = calls("nova.updateService");
        NovaApi.ComputeService s = nova.forceDown(HOST, "lifeboat: fenced");
        assertThat(nova.microversion()).isEqualTo(53);
        assertThat(s.forcedDown()).isTrue();
        assertThat(calls("nova.updateService") - updatesBefore).isEqualTo(1);
        assertThat(truth().get("forcedDown")).isEqualTo(true);
    }

    /**
     * The force-down of a run uses the service id the collector published. An id Nova no longer knows (the service
     * was deleted and registered again) is a 404, and the host is still forced down: by the 2.11 form, by host.
     */
    @Test
    void aServiceIdNovaNoLongerKnowsStillForcesTheHostDownByItsName() {
        NovaHttpClient nova = nova("2.53");
        String known = (String) truth().get("serviceId");
        long updatesBefore = calls("nova.updateService");
        NovaApi.ComputeService s = nova.forceDown(new NovaApi.ComputeService(known, HOST, null, null, null, null,
                null), "lifeboat: fenced");
        assertThat(s.forcedDown()).isTrue();
        assertThat(calls("nova.updateService") - updatesBefore).as("one call with the id as published").isEqualTo(1);
        nova.unfence(HOST);

        updatesBefore = calls("nova.updateService");
        s = nova.forceDown(new NovaApi.ComputeService("00000000-0000-0000-0000-000000000000", HOST, null, null, null,
                null, null), "lifeboat: fenced");
        assertThat(s.forcedDown()).isTrue();
        assertThat(s.status()).isEqualTo("disabled");
        // the refused 2.53 update (404), then the 2.11 force-down and disable
        assertThat(calls("nova.updateService") - updatesBefore).isEqualTo(3);
        assertThat(truth().get("forcedDown")).isEqualTo(true);
        assertThat(truth().get("serviceStatus")).isEqualTo("disabled");
    }
}
