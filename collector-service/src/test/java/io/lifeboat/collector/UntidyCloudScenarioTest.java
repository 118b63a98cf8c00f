package io.lifeboat.collector;

import io.lifeboat.common.inventory.HostState;
import io.lifeboat.common.inventory.HostStatus;
import io.lifeboat.common.inventory.VmState;
import io.lifeboat.common.inventory.VmStatus;
import io.lifeboat.common.topic.Topic;
import io.lifeboat.testsupport.KafkaTestClient;
import io.lifeboat.testsupport.LifeboatInfra;
import io.lifeboat.testsupport.SimulatorProcess;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The collector on a cloud holding the states real clouds hold and tidy tests forget: Nova servers never scheduled
 * (ERROR, no host, zone ""), building, shelved offloaded, rescued, waiting for a resize to be confirmed, migrating;
 * volumes in error or only reserved; oVirt VMs image_locked, migrating, not_responding, saving_state,
 * wait_for_launch, unknown; oVirt hosts installing, connecting, kdumping, preparing for maintenance. Every cycle is
 * complete, nothing is skipped, and each object is published with the state its platform's meaning gives it: the
 * expected normalised status is this test's table, the rest (hosts, zones, LUNs) the simulator's ground truth.
 */
@QuarkusTest
@QuarkusTestResource(LifeboatInfra.class)
@QuarkusTestResource(SimulatedSources.class)
class UntidyCloudScenarioTest {

    private static final Map<String, VmStatus> OVIRT_VM = Map.of("image_locked", VmStatus.DOWN,
            "migrating", VmStatus.MIGRATING, "not_responding", VmStatus.NOT_RESPONDING,
            "saving_state", VmStatus.STOPPING, "wait_for_launch", VmStatus.STARTING, "unknown", VmStatus.UNKNOWN);
    private static final Map<String, HostStatus> OVIRT_HOST = Map.of("installing", HostStatus.TRANSITIONING,
            "connecting", HostStatus.NON_RESPONSIVE, "kdumping", HostStatus.DOWN,
            "preparing_for_maintenance", HostStatus.MAINTENANCE);
    /** By the API status: what the guest is doing. */
    private static final Map<String, VmStatus> NOVA = Map.of("ERROR", VmStatus.ERROR, "BUILD", VmStatus.STARTING,
            "SHELVED_OFFLOADED", VmStatus.SHELVED, "RESCUE", VmStatus.RUNNING, "VERIFY_RESIZE", VmStatus.RUNNING,
            "MIGRATING", VmStatus.MIGRATING);

    private static KafkaTestClient kafka;

    @BeforeAll
    static void untidyCloud() {
        kafka = new KafkaTestClient();
        reseed(0.1);
    }

    @AfterAll
    static void tidyAgain() {
        reseed(0);
        kafka.close();
    }

    private static void reseed(double untidy) {
        given().contentType(ContentType.JSON).body(Map.ofEntries(
                        entry("seed", 42), entry("ovirtEngines", 1), entry("openstackRegions", 1),
                        entry("clustersPerSource", 1), entry("hostsPerCluster", 5), entry("vmsPerHost", 10),
                        entry("disksPerVm", 3), entry("directLunFraction", 0.5), entry("sharedLunFraction", 0.1),
                        entry("blockDomainsPerEngine", 1), entry("haFraction", 0.3), entry("pinnedFraction", 0.1),
                        entry("watchdogFraction", 0.4), entry("softDeletedFraction", 0.1), entry("downFraction", 0.1),
                        entry("untidyFraction", untidy)))
                .post(sim() + "/sim/v1/topology").then().statusCode(200);
    }

    private static String sim() {
        return SimulatorProcess.get().url();
    }

    private static JsonPath refresh(String source) {
        return given().auth().preemptive().basic("operator", "operator")
                .queryParam("wait", true).post("/api/v1/sources/" + source + "/refresh")
                .then().statusCode(200).extract().jsonPath();
    }

    /**
     * A cycle that read the source: an earlier test class may have left the source's circuit breaker open (injected
     * faults), which closes by itself after its delay.
     */
    private static JsonPath completeCycle(String source) {
        JsonPath[] last = new JsonPath[1];
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            last[0] = refresh(source);
            return !last[0].getList("errors", String.class).stream().anyMatch(e -> e.contains("circuit breaker"));
        });
        return last[0];
    }

    private static <T> Map<String, T> latest(Topic topic, Class<T> type, String source) {
        return InventoryTopics.latest(kafka, topic, type, source);
    }

    private static List<Map<String, Object>> truth(String source, String what) {
        return given().get(sim() + "/sim/v1/sources/" + source + "/truth").then().statusCode(200).extract()
                .jsonPath().getList(what);
    }

    @Test
    void everyOvirtStateIsPublishedWithItsMeaningAndNoCycleIsPartial() {
        JsonPath cycle = completeCycle("ovirt-1");
        assertThat(cycle.getString("outcome")).isEqualTo("COMPLETE");
        assertThat(cycle.getInt("skipped")).isZero();
        Map<String, VmState> vms = latest(Topic.INVENTORY_VMS, VmState.class, "ovirt-1");
        List<Map<String, Object>> truthVms = truth("ovirt-1", "vms");
        assertThat(vms).hasSize(truthVms.size());
        Map<String, Integer> seen = new HashMap<>();
        for (Map<String, Object> t : truthVms) {
            String status = (String) t.get("engineStatus");
            VmState s = vms.get("ovirt-1/" + t.get("id"));
            assertThat(s).as("%s", t.get("name")).isNotNull();
            assertThat(s.platformStatus()).isEqualTo(status);
            if (!OVIRT_VM.containsKey(status)) {
                continue;
            }
            seen.merge(status, 1, Integer::sum);
            assertThat(s.status()).as("%s %s", t.get("name"), status).isEqualTo(OVIRT_VM.get(status));
            Object engineHost = t.get("engineHostId");
            assertThat(s.host() == null ? null : s.host().key().hostId()).as("%s host", status)
                    .isEqualTo(engineHost);
            // every LUN of the VM is still there, whatever the status
            assertThat(s.disks()).filteredOn(d -> d.lun() != null).extracting(d -> d.lun().wwid().multipathWwid())
                    .containsExactlyInAnyOrderElementsOf(strings(t.get("lunWwids")));
        }
        assertThat(seen.keySet()).containsExactlyInAnyOrderElementsOf(OVIRT_VM.keySet());
        assertThat(truthVms).filteredOn(t -> "image_locked".equals(t.get("engineStatus")))
                .allSatisfy(t -> assertThat(strings(t.get("diskStatuses"))).contains("locked"));

        Map<String, HostState> hosts = latest(Topic.INVENTORY_HOSTS, HostState.class, "ovirt-1");
        List<Map<String, Object>> truthHosts = truth("ovirt-1", "hosts");
        assertThat(hosts).hasSize(truthHosts.size());
        Map<String, Integer> hostSeen = new HashMap<>();
        for (Map<String, Object> t : truthHosts) {
            String status = (String) t.get("engineStatus");
            HostState h = hosts.get("ovirt-1/" + t.get("id"));
            assertThat(h).isNotNull();
            assertThat(h.platformStatus()).isEqualTo(status);
            if (OVIRT_HOST.containsKey(status)) {
                hostSeen.merge(status, 1, Integer::sum);
                assertThat(h.status()).as(status).isEqualTo(OVIRT_HOST.get(status));
                assertThat(h.name()).isEqualTo(t.get("name"));
                assertThat(h.cluster()).isNotNull();
            }
        }
        assertThat(hostSeen.keySet()).containsExactlyInAnyOrderElementsOf(OVIRT_HOST.keySet());
    }

    @Test
    void everyNovaStateIsPublishedWithItsMeaningAndNoCycleIsPartial() {
        JsonPath cycle = completeCycle("openstack-1");
        assertThat(cycle.getString("outcome")).isEqualTo("COMPLETE");
        assertThat(cycle.getInt("skipped")).isZero();
        Map<String, VmState> vms = latest(Topic.INVENTORY_VMS, VmState.class, "openstack-1");
        List<Map<String, Object>> truthServers = truth("openstack-1", "servers");
        assertThat(vms).hasSize(truthServers.size());
        Map<String, Integer> seen = new HashMap<>();
        for (Map<String, Object> t : truthServers) {
            String status = (String) t.get("status");
            VmState s = vms.get("openstack-1/" + t.get("id"));
            assertThat(s).as("%s", t.get("name")).isNotNull();
            assertThat(s.platformStatus()).isEqualTo(status);
            assertThat(s.nova().vmState()).isEqualTo(t.get("vmState"));
            assertThat(s.nova().taskState()).isEqualTo(t.get("taskState"));
            assertThat(s.nova().powerState()).isEqualTo(t.get("powerState"));
            assertThat(s.host() == null ? null : s.host().key().hostId()).as("%s host", status)
                    .isEqualTo(t.get("host"));
            String zone = (String) t.get("availabilityZone");
            assertThat(s.cluster() == null ? null : s.cluster().id()).as("%s zone", status)
                    .isEqualTo(zone == null || zone.isEmpty() ? null : zone);
            assertThat(s.disks()).filteredOn(d -> d.lun() != null).extracting(d -> d.lun().wwid().multipathWwid())
                    .containsExactlyInAnyOrderElementsOf(strings(t.get("lunWwids")));
            if (NOVA.containsKey(status)) {
                seen.merge(status, 1, Integer::sum);
                assertThat(s.status()).as("%s %s", t.get("name"), status).isEqualTo(NOVA.get(status));
            }
        }
        assertThat(seen.keySet()).containsExactlyInAnyOrderElementsOf(NOVA.keySet());
        // the unscheduled and the offloaded ones have no host; the first also no zone
        assertThat(truthServers).filteredOn(t -> "ERROR".equals(t.get("status")) && t.get("host") == null)
                .isNotEmpty().allSatisfy(t -> assertThat(t.get("availabilityZone")).isEqualTo(""));
        assertThat(truthServers).filteredOn(t -> "SHELVED_OFFLOADED".equals(t.get("status")))
                .isNotEmpty().allSatisfy(t -> assertThat(t.get("host")).isNull());
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object o) {
        return o == null ? List.of() : (List<String>) o;
    }
}
