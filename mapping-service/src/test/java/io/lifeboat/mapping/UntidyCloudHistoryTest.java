package io.lifeboat.mapping;

import io.lifeboat.testsupport.CollectorProcess;
import io.lifeboat.testsupport.LifeboatInfra;
import io.lifeboat.testsupport.SimulatorProcess;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The history on a cloud in the states real clouds hold (the simulator's untidy share: Nova servers never scheduled,
 * building, shelved offloaded, rescued, resized, migrating; oVirt VMs image_locked, migrating, not_responding,
 * saving_state, wait_for_launch, unknown), through the real collector (its own process), the broker and PostgreSQL:
 * each VM is in the history with the status its platform's meaning gives it (this test's table), the host, zone and
 * LUNs of the simulator's ground truth; the hostless ones are on no host's list.
 */
@QuarkusTest
@QuarkusTestResource(LifeboatInfra.class)
class UntidyCloudHistoryTest {

    private static final Map<String, String> OVIRT = Map.of("image_locked", "DOWN", "migrating", "MIGRATING",
            "not_responding", "NOT_RESPONDING", "saving_state", "STOPPING", "wait_for_launch", "STARTING",
            "unknown", "UNKNOWN");
    private static final Map<String, String> NOVA = Map.of("ERROR", "ERROR", "BUILD", "STARTING",
            "SHELVED_OFFLOADED", "SHELVED", "RESCUE", "RUNNING", "VERIFY_RESIZE", "RUNNING", "MIGRATING", "MIGRATING");

    @BeforeAll
    static void untidyCloud() {
        RestAssured.authentication = RestAssured.preemptive().basic("operator", "operator");
        SimulatorProcess.get();
        CollectorProcess.get();
        reseed(0.1);
    }

    @AfterAll
    static void tidyAgain() {
        reseed(0);
        RestAssured.reset();
    }

    private static void reseed(double untidy) {
        given().auth().none().contentType(ContentType.JSON).body(Map.ofEntries(
                        entry("seed", 42), entry("ovirtEngines", 1), entry("openstackRegions", 1),
                        entry("clustersPerSource", 1), entry("hostsPerCluster", 5), entry("vmsPerHost", 10),
                        entry("disksPerVm", 3), entry("directLunFraction", 0.5), entry("sharedLunFraction", 0.1),
                        entry("blockDomainsPerEngine", 1), entry("haFraction", 0.3), entry("pinnedFraction", 0.1),
                        entry("watchdogFraction", 0.4), entry("softDeletedFraction", 0.1), entry("downFraction", 0.1),
                        entry("untidyFraction", untidy)))
                .post(SimulatorProcess.get().url() + "/sim/v1/topology").then().statusCode(200);
        for (String source : List.of("ovirt-1", "openstack-1")) {
            given().post(CollectorProcess.get().url() + "/api/v1/sources/" + source + "/refresh?wait=true").then()
                    .statusCode(200);
        }
    }

    private static List<Map<String, Object>> truth(String source, String what) {
        return given().auth().none().get(SimulatorProcess.get().url() + "/sim/v1/sources/" + source + "/truth")
                .then().statusCode(200).extract().jsonPath().getList(what);
    }

    private static Map<String, List<Map<String, Object>>> exportRows(String source) {
        List<Map<String, Object>> rows = given().queryParam("format", "json").queryParam("source", source)
                .get("/api/v1/export").then().statusCode(200).extract().jsonPath().getList("");
        return rows.stream().collect(Collectors.groupingBy(r -> (String) r.get("vm_id")));
    }

    private static String blankToNull(Object o) {
        return o == null || o.toString().isEmpty() ? null : o.toString();
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object o) {
        return o == null ? List.of() : (List<String>) o;
    }

    @Test
    void everyOvirtStateIsInTheHistoryWithItsHostAndLuns() {
        List<Map<String, Object>> vms = truth("ovirt-1", "vms").stream()
                .filter(v -> OVIRT.containsKey((String) v.get("engineStatus"))).toList();
        assertThat(vms.stream().map(v -> v.get("engineStatus")).distinct()).hasSize(OVIRT.size());
        Map<String, String> hostNames = new HashMap<>();
        truth("ovirt-1", "hosts").forEach(h -> hostNames.put((String) h.get("id"), (String) h.get("name")));
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            Map<String, List<Map<String, Object>>> rows = exportRows("ovirt-1");
            for (Map<String, Object> v : vms) {
                String expected = OVIRT.get((String) v.get("engineStatus"));
                List<Map<String, Object>> mine = rows.get((String) v.get("id"));
                assertThat(mine).as("%s", v.get("name")).isNotEmpty();
                assertThat(mine).extracting(r -> r.get("status")).as("%s", v.get("name")).containsOnly(expected);
                String host = v.get("engineHostId") == null ? null : hostNames.get((String) v.get("engineHostId"));
                assertThat(mine).extracting(r -> blankToNull(r.get("host"))).as("%s host", v.get("name"))
                        .containsOnly(host);
                assertThat(mine.stream().map(r -> blankToNull(r.get("lun_wwid"))).filter(Objects::nonNull))
                        .containsExactlyInAnyOrderElementsOf(strings(v.get("lunWwids")));
            }
        });
        // the VM whose disks are locked has no host: it is on no host's list
        Map<String, Object> locked = vms.stream().filter(v -> "image_locked".equals(v.get("engineStatus")))
                .findFirst().orElseThrow();
        for (String hostId : hostNames.keySet()) {
            assertThat(given().get("/api/v1/hosts/ovirt-1/" + hostId + "/vms").then().statusCode(200).extract()
                    .jsonPath().getList("vmKey", String.class)).doesNotContain("ovirt-1/" + locked.get("id"));
        }
    }

    @Test
    void everyNovaStateIsInTheHistoryWithItsHostZoneAndLuns() {
        List<Map<String, Object>> servers = truth("openstack-1", "servers").stream()
                .filter(s -> NOVA.containsKey((String) s.get("status"))).toList();
        assertThat(servers.stream().map(s -> s.get("status")).distinct()).hasSize(NOVA.size());
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            Map<String, List<Map<String, Object>>> rows = exportRows("openstack-1");
            for (Map<String, Object> s : servers) {
                List<Map<String, Object>> mine = rows.get((String) s.get("id"));
                assertThat(mine).as("%s", s.get("name")).isNotEmpty();
                assertThat(mine).extracting(r -> r.get("status")).as("%s", s.get("name"))
                        .containsOnly(NOVA.get((String) s.get("status")));
                assertThat(mine).extracting(r -> blankToNull(r.get("host"))).as("%s host", s.get("name"))
                        .containsOnly(blankToNull(s.get("host")));
                assertThat(mine).extracting(r -> blankToNull(r.get("cluster"))).as("%s zone", s.get("name"))
                        .containsOnly(blankToNull(s.get("availabilityZone")));
                assertThat(mine.stream().map(r -> blankToNull(r.get("lun_wwid"))).filter(Objects::nonNull))
                        .containsExactlyInAnyOrderElementsOf(strings(s.get("lunWwids")));
            }
        });
    }
}
