package io.lifeboat.simulator;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ovirt.engine.sdk4.Connection;
import org.ovirt.engine.sdk4.ConnectionBuilder;
import org.ovirt.engine.sdk4.types.Event;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The engine's own fencing (ovirt-engine VdsManager, VdsNotRespondingTreatmentCommand, RestartVdsCommand): a host with
 * power management that stops answering is Connecting for the grace period (9008), then non-responsive (12) with its
 * VMs unknown, then restarted through its fence agent: its VMs down (143), the HA ones restarted elsewhere (506), "Host
 * … was restarted by the engine." (121), and it boots. With fencing disabled by the cluster's policy the engine only
 * alerts (9015), and "confirm host has been rebooted" releases the VMs only once the host is non-responsive.
 */
@QuarkusTest
@TestProfile(EngineFencingTest.WithEngineFencing.class)
class EngineFencingTest {

    public static class WithEngineFencing implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("simulator.ovirt.engine-fencing", "true", "simulator.ovirt.fence-grace", "2s",
                    "simulator.ovirt.reboot-time", "3s");
        }
    }

    private static JsonPath truth() {
        return given().get("/sim/v1/sources/ovirt-1/truth").then().statusCode(200).extract().jsonPath();
    }

    private static String hostId(String name) {
        return truth().getString("hosts.find { it.name == '" + name + "' }.id");
    }

    private static String status(String name) {
        return truth().getString("hosts.find { it.name == '" + name + "' }.engineStatus");
    }

    @TestHTTPResource("/")
    URL base;

    private Connection connection;

    @BeforeEach
    void connect() {
        SimulatorControl.reseed(42);
        connection = ConnectionBuilder.connection()
                .url(base.toString().replaceAll("/$", "") + "/ovirt/ovirt-1/ovirt-engine/api")
                .user("admin@internal").password("lifeboat").timeout(10).build();
    }

    @AfterEach
    void close() throws Exception {
        connection.close();
    }

    private List<Event> events() {
        return connection.systemService().eventsService().list().max(100_000).send().events();
    }

    private Set<Integer> codesFor(String hostId) {
        return events().stream().filter(e -> e.host() != null && hostId.equals(e.host().id()))
                .map(Event::codeAsInteger).collect(Collectors.toSet());
    }

    private static Set<String> vmsOn(String hostId) {
        return truth().<Map<String, Object>>getList("vms").stream().filter(v -> hostId.equals(v.get("engineHostId"))
                && "up".equals(v.get("engineStatus"))).map(v -> (String) v.get("id")).collect(Collectors.toSet());
    }

    /** Each VM's status and host as the engine shows them now. */
    private static Map<String, String> now(Set<String> vms) {
        return truth().<Map<String, Object>>getList("vms").stream().filter(v -> vms.contains((String) v.get("id")))
                .collect(Collectors.toMap(v -> (String) v.get("id"), v -> v.get("engineStatus") + "@"
                        + v.get("engineHostId")));
    }

    private static void fail(String name) {
        given().contentType(ContentType.JSON).body(Map.of("mode", "POWER_LOSS"))
                .post("/sim/v1/sources/ovirt-1/hosts/" + name + "/fail").then().statusCode(200);
    }

    /** The HTTP status of a fence call through the SDK: 200, or the engine's fault status. */
    private int fence(String id, String type) {
        try {
            connection.systemService().hostsService().hostService(id).fence().fenceType(type).send();
            return 200;
        } catch (org.ovirt.engine.sdk4.Error e) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("HTTP response code is \"?(\\d{3})")
                    .matcher(String.valueOf(e.getMessage()));
            return m.find() ? Integer.parseInt(m.group(1)) : 0;
        }
    }

    @Test
    void aHostThatLosesPowerIsFencedByTheEngineItselfAndBootsAgain() {
        String id = hostId("hv1-1-01");
        Set<String> ran = vmsOn(id);
        assertThat(ran).isNotEmpty();
        fail("hv1-1-01");
        assertThat(status("hv1-1-01")).isEqualTo("connecting");
        assertThat(codesFor(id)).contains(9008).doesNotContain(12, 121);
        await().atMost(Duration.ofSeconds(10)).until(() -> "reboot".equals(status("hv1-1-01")));
        assertThat(codesFor(id)).contains(12, 9017, 9018, 539, 121, 14);
        // Its VMs no longer run there: the HA ones restarted elsewhere (506), the others down.
        assertThat(now(ran)).hasSize(ran.size()).allSatisfy((vm, state) -> assertThat(state)
                .matches("down@.*|up@(?!" + id + ").+"));
        assertThat(now(ran).values()).anyMatch(x -> x.startsWith("up@"));
        assertThat(events().stream().filter(e -> e.codeAsInteger() == 506)).isNotEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> "up".equals(status("hv1-1-01")));
    }

    @Test
    void withFencingDisabledByPolicyTheEngineOnlyAlertsAndManualReleasesTheVmsOnceNonResponsive() {
        given().contentType(ContentType.JSON).body(Map.of("engineFencing", false))
                .put("/sim/v1/sources/ovirt-1/settings").then().statusCode(200);
        try {
            String id = hostId("hv1-1-02");
            Set<String> ran = vmsOn(id);
            assertThat(ran).isNotEmpty();
            fail("hv1-1-02");
            // Connecting: stop is refused (not in Maintenance), start too; manual is accepted but releases nothing.
            assertThat(fence(id, "stop")).isEqualTo(409);
            assertThat(fence(id, "start")).isEqualTo(409);
            assertThat(fence(id, "manual")).isEqualTo(200);
            assertThat(now(ran).values()).allMatch(x -> x.equals("up@" + id));
            await().atMost(Duration.ofSeconds(10)).until(() -> "non_responsive".equals(status("hv1-1-02")));
            assertThat(codesFor(id)).contains(9015).doesNotContain(121, 9017);
            assertThat(now(ran).values()).allMatch(x -> x.equals("unknown@" + id));
            assertThat(fence(id, "manual")).isEqualTo(200);
            assertThat(now(ran).values()).allMatch(x -> x.startsWith("down@") || x.startsWith("up@"))
                    .noneMatch(x -> x.equals("up@" + id));
            assertThat(status("hv1-1-02")).isEqualTo("non_responsive");
        } finally {
            given().contentType(ContentType.JSON).body(Map.of("engineFencing", true))
                    .put("/sim/v1/sources/ovirt-1/settings").then().statusCode(200);
        }
    }
}
