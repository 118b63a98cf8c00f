package io.lifeboat.mapping;

import io.lifeboat.common.envelope.CloudEventsKafka;
import io.lifeboat.common.plan.UnmapPlan;
import io.lifeboat.common.topic.Topic;
import io.lifeboat.mapping.lineage.HistoryReplay;
import io.lifeboat.testsupport.CollectorProcess;
import io.lifeboat.testsupport.KafkaTestClient;
import io.lifeboat.testsupport.LifeboatInfra;
import io.lifeboat.testsupport.SimulatorProcess;
import io.lifeboat.testsupport.TestInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operators' scenario end to end: the simulator (its own process) → the real collector (its own process) →
 * Kafka → this mapping-service → PostgreSQL. An oVirt host loses power and is fenced (an HA VM moves, a non-pinned
 * VM goes down with no host); an OpenStack host loses its storage path. The unmap plan of each host as of the
 * failure must list exactly the LUNs of the VMs that were on it, with keep reasons derived here from the simulator's
 * ground truth, not from the service's logic. Then the whole history is rebuilt from the topics and must be identical.
 */
@QuarkusTest
@QuarkusTestResource(LifeboatInfra.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UnmapPlanScenarioTest {

    private static final String OVIRT_HOST = "hv1-1-01";
    private static final String OS_HOST = "cmp1-a02";

    /** The simulator's ground truth before any failure: VM id → [host id, LUN WWIDs]. */
    private static Map<String, Map<String, Object>> ovirtBefore;
    private static Map<String, Map<String, Object>> openstackBefore;
    private static String ovirtHostId;
    private static Instant ovirtFailedAt;
    private static KafkaTestClient kafka;

    @Inject
    HistoryReplay replay;

    @BeforeAll
    static void start() {
        kafka = new KafkaTestClient();
        RestAssured.authentication = RestAssured.preemptive().basic("operator", "operator");
        SimulatorProcess.get();
        CollectorProcess.get();
    }

    @AfterAll
    static void stop() {
        kafka.close();
        RestAssured.reset();
    }

    private static String sim() {
        return SimulatorProcess.get().url();
    }

    private static JsonPath truth(String source) {
        return given().auth().none().get(sim() + "/sim/v1/sources/" + source + "/truth").then().statusCode(200)
                .extract().jsonPath();
    }

    private static Map<String, Map<String, Object>> byId(List<Map<String, Object>> items) {
        Map<String, Map<String, Object>> m = new HashMap<>();
        items.forEach(i -> m.put((String) i.get("id"), i));
        return m;
    }

    @SuppressWarnings("unchecked")
    private static List<String> luns(Map<String, Object> vm) {
        return (List<String>) vm.get("lunWwids");
    }

    private static void refreshCollector(String source) {
        given().post(CollectorProcess.get().url() + "/api/v1/sources/" + source + "/refresh?wait=true").then()
                .statusCode(200);
    }

    @Test
    @Order(1)
    void historyFillsFromTheCollector() {
        ovirtBefore = byId(truth("ovirt-1").getList("vms"));
        openstackBefore = byId(truth("openstack-1").getList("servers"));
        ovirtHostId = truth("ovirt-1").getString("hosts.find { it.name == '" + OVIRT_HOST + "' }.id");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(given().get("/api/v1/hosts/ovirt-1/" + ovirtHostId + "/vms").then().statusCode(200)
                    .extract().jsonPath().getList("vmKey")).hasSize((int) ovirtBefore.values().stream()
                    .filter(v -> ovirtHostId.equals(v.get("engineHostId"))).count());
            assertThat(given().get("/api/v1/hosts/openstack-1/" + OS_HOST + "/vms").then().statusCode(200)
                    .extract().jsonPath().getList("vmKey")).hasSize((int) openstackBefore.values().stream()
                    .filter(v -> OS_HOST.equals(v.get("host")) && !(Boolean) v.get("deleted")).count());
        });
        // The export: one row per VM disk, for both platforms (oVirt 3 disks, Nova root + 2 volumes per VM).
        // Every VM of both sources has arrived (the first cycles publish them in any order across partitions). Other
        // tests of this module may have published VMs of their own sources into the same database: count ours.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(given().queryParam("format", "csv")
                .get("/api/v1/export").then().statusCode(200).extract().asString().lines()
                .filter(l -> l.startsWith("ovirt-1,") || l.startsWith("openstack-1,")))
                .hasSize(3 * (ovirtBefore.size() + openstackBefore.size())));
        String csv = given().queryParam("format", "csv").get("/api/v1/export").then().statusCode(200)
                .contentType("text/csv").extract().asString();
        String[] lines = csv.split("\n");
        assertThat(lines[0]).startsWith("source,cluster,host,vm_name,vm_id,status,ip_addresses,vcpus");
        String anyLun = luns(ovirtBefore.values().stream().filter(v -> !luns(v).isEmpty()).findFirst().orElseThrow())
                .get(0);
        assertThat(csv).contains(anyLun);
        assertThat(given().queryParam("format", "json").queryParam("source", "ovirt-1")
                .queryParam("host", OVIRT_HOST).get("/api/v1/export").then().statusCode(200)
                .extract().jsonPath().getList("vm_id", String.class)).containsOnlyElementsOf(ovirtBefore.values()
                .stream().filter(v -> ovirtHostId.equals(v.get("engineHostId"))).map(v -> (String) v.get("id"))
                .toList());
        // Numbers are JSON numbers, with the values the CSV gives for the same disk.
        java.util.Map<String, Object> row = given().queryParam("format", "json").queryParam("source", "ovirt-1")
                .get("/api/v1/export").then().statusCode(200).extract().jsonPath().getMap("[0]");
        assertThat(row.get("vcpus")).isInstanceOf(Integer.class);
        assertThat(row.get("ram_mib")).isInstanceOf(Integer.class);
        assertThat(row.get("disk_size_bytes")).isInstanceOf(Number.class);
        String csvRow = java.util.Arrays.stream(lines).filter(l -> l.contains((String) row.get("disk_id")))
                .findFirst().orElseThrow();
        assertThat(csvRow).contains("," + row.get("vcpus") + ",").contains("," + row.get("ram_mib") + ",")
                .contains("," + row.get("disk_size_bytes") + ",");
    }

    @Test
    @Order(2)
    void ovirtPowerLossThenFence() {
        given().auth().none().contentType(ContentType.JSON).body(Map.of("mode", "POWER_LOSS"))
                .post(sim() + "/sim/v1/sources/ovirt-1/hosts/" + OVIRT_HOST + "/fail").then().statusCode(200);
        // The collector's events-feed signal reaches the history: the host is NON_RESPONSIVE since the failure.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(given()
                .get("/api/v1/hosts/ovirt-1/" + ovirtHostId + "/history").then().statusCode(200).extract()
                .jsonPath().getString("[0].status")).isEqualTo("NON_RESPONSIVE"));
        ovirtFailedAt = Instant.parse(given().get("/api/v1/hosts/ovirt-1/" + ovirtHostId + "/history").then()
                .extract().jsonPath().getString("[0].since"));

        // The operator confirms the host was rebooted (manual fence): the engine sets its VMs down and restarts HA ones.
        String token = given().auth().none().contentType(ContentType.URLENC).formParam("grant_type", "password")
                .formParam("scope", "ovirt-app-api").formParam("username", "admin@internal")
                .formParam("password", "lifeboat").post(sim() + "/ovirt-engine/sso/oauth/token").then()
                .statusCode(200).extract().path("access_token");
        given().auth().none().header("Authorization", "Bearer " + token).contentType("application/xml")
                .body("<action><fence_type>manual</fence_type></action>")
                .post(sim() + "/ovirt/ovirt-1/ovirt-engine/api/hosts/" + ovirtHostId + "/fence").then()
                .statusCode(200);
        refreshCollector("ovirt-1");

        Map<String, Map<String, Object>> after = byId(truth("ovirt-1").getList("vms"));
        List<String> wasThere = ovirtBefore.values().stream().filter(v -> ovirtHostId.equals(v.get("engineHostId")))
                .map(v -> (String) v.get("id")).toList();
        assertThat(wasThere).anySatisfy(id -> {
            assertThat(after.get(id).get("ha")).isEqualTo(true);
            assertThat(after.get(id).get("engineHostId")).as("an HA VM moved").isNotNull()
                    .isNotEqualTo(ovirtHostId);
        });
        assertThat(wasThere).anySatisfy(id -> {
            assertThat(after.get(id).get("pinned")).isEqualTo(false);
            assertThat(after.get(id).get("engineHostId")).as("a non-pinned VM went down with no host").isNull();
        });
        // The history keeps where they were: the lineage of a moved VM shows the failed host.
        String moved = wasThere.stream().filter(id -> after.get(id).get("engineHostId") != null
                && !ovirtHostId.equals(after.get(id).get("engineHostId"))).findFirst().orElseThrow();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<String> hosts = given().get("/api/v1/vms/ovirt-1/" + moved + "/lineage").then().statusCode(200)
                    .extract().jsonPath().getList("placements.hostKey");
            assertThat(hosts.get(0)).isNotEqualTo("ovirt-1/" + ovirtHostId);
            assertThat(hosts).contains("ovirt-1/" + ovirtHostId);
        });
    }

    @Test
    @Order(3)
    void ovirtPlanAsOfTheFailureListsExactlyTheLunsThatWereThere() {
        // Expected, from the ground truth: every LUN of the VMs on the host before the failure; kept only when
        // another VM now on another host uses it.
        Map<String, Map<String, Object>> now = byId(truth("ovirt-1").getList("vms"));
        Map<String, String> expected = new TreeMap<>();
        for (Map<String, Object> vm : ovirtBefore.values()) {
            if (!ovirtHostId.equals(vm.get("engineHostId"))) {
                continue;
            }
            for (String lun : luns(vm)) {
                boolean shared = now.values().stream().anyMatch(o -> !o.get("id").equals(vm.get("id"))
                        && luns(o).contains(lun) && o.get("engineHostId") != null
                        && !ovirtHostId.equals(o.get("engineHostId")));
                expected.put(vm.get("id") + " " + lun, shared ? "SHARED_WITH_OTHER_HOST" : "UNMAP");
            }
        }
        assertThat(expected).isNotEmpty();

        // Default as-of: the moment the failure was first observed. The decisions look at the VMs' current state,
        // so wait until the last updates after the fence have reached the history.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonPath plan = given().get("/api/v1/hosts/ovirt-1/" + ovirtHostId + "/unmap-plan").then()
                    .statusCode(200).extract().jsonPath();
            assertThat(Instant.parse(plan.getString("asOf"))).isEqualTo(ovirtFailedAt);
            assertThat(plan.getString("hostName")).isEqualTo(OVIRT_HOST);
            assertThat(actual(plan)).isEqualTo(expected);
        });

        // The SVC script unmaps exactly the UNMAP LUNs, by vdisk UID, from the host's SAN object name.
        String script = given().queryParam("format", "svc").get("/api/v1/hosts/ovirt-1/" + ovirtHostId
                + "/unmap-plan").then().statusCode(200).extract().asString();
        Set<String> toUnmap = new HashSet<>();
        expected.forEach((k, v) -> {
            if (v.equals("UNMAP")) {
                toUnmap.add(k.split(" ")[1].substring(1).toUpperCase());
            }
        });
        List<String> commands = script.lines().filter(l -> l.startsWith("rmvdiskhostmap")).toList();
        assertThat(commands).hasSize(toUnmap.size()).allSatisfy(c -> assertThat(c)
                .startsWith("rmvdiskhostmap -host " + OVIRT_HOST + " "));
        assertThat(commands.stream().map(c -> c.substring(c.lastIndexOf(' ') + 1)).toList())
                .containsExactlyInAnyOrderElementsOf(toUnmap);
        String csv = given().queryParam("format", "csv").get("/api/v1/hosts/ovirt-1/" + ovirtHostId
                + "/unmap-plan").then().statusCode(200).contentType("text/csv").extract().asString();
        assertThat(csv.lines().count()).isEqualTo(1 + expected.size());

        // A plan was also published when the host turned NON_RESPONSIVE; then its VMs were still on the unfenced
        // host, so every LUN was kept as in use.
        List<UnmapPlan> published = kafka.readToEnd(Topic.UNMAP_PLANS.topicName()).stream()
                .map(r -> CloudEventsKafka.decode(r.headers(), r.value()).dataAs(UnmapPlan.class))
                .filter(p -> p.host().toString().equals("ovirt-1/" + ovirtHostId)).toList();
        assertThat(published).hasSize(1);
        assertThat(published.get(0).asOf()).isEqualTo(ovirtFailedAt);
        assertThat(published.get(0).trigger()).startsWith("host-status:");
        assertThat(published.get(0).entries()).hasSize(expected.size())
                .allSatisfy(e -> assertThat(e.keepReason()).isNotNull());
    }

    @Test
    @Order(4)
    void openstackStorageLossKeepsWhatIsStillInUseAndWhatIsRestorable() {
        given().auth().none().contentType(ContentType.JSON).body(Map.of("mode", "STORAGE_LOSS"))
                .post(sim() + "/sim/v1/sources/openstack-1/hosts/" + OS_HOST + "/fail").then().statusCode(200);
        refreshCollector("openstack-1");
        Map<String, String> expected = new TreeMap<>();
        for (Map<String, Object> srv : openstackBefore.values()) {
            if (!OS_HOST.equals(srv.get("host")) || (Boolean) srv.get("deleted")) {
                continue;
            }
            String reason = "soft-delete".equals(srv.get("vmState")) ? "VM_SOFT_DELETED_RESTORABLE"
                    : (Boolean) srv.get("running") ? "IN_USE_ON_HOST" : "UNMAP";
            for (String lun : luns(srv)) {
                expected.put(srv.get("id") + " " + lun, reason);
            }
        }
        assertThat(expected.values()).contains("IN_USE_ON_HOST");
        Instant asOf = Instant.now();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(actual(given()
                .queryParam("asOf", asOf.toString()).get("/api/v1/hosts/openstack-1/" + OS_HOST + "/unmap-plan")
                .then().statusCode(200).extract().jsonPath())).isEqualTo(expected));

        // Published on request (operator), stored, and listed.
        given().post("/api/v1/hosts/openstack-1/" + OS_HOST + "/unmap-plans").then().statusCode(201);
        given().get("/api/v1/hosts/openstack-1/" + OS_HOST + "/unmap-plans").then().statusCode(200)
                .body("[0].trigger", org.hamcrest.Matchers.startsWith("operator:operator:"));
    }

    @Test
    @Order(5)
    void lunHistoryAndSearchAcceptAnyWwidForm() throws Exception {
        Map<String, Object> vm = ovirtBefore.values().stream()
                .filter(v -> ovirtHostId.equals(v.get("engineHostId")) && !luns(v).isEmpty()).findFirst()
                .orElseThrow();
        String lun = luns(vm).get(0);
        String svcUid = lun.substring(1).toUpperCase();
        JsonPath history = given().get("/api/v1/luns/" + svcUid + "/history").then().statusCode(200).extract()
                .jsonPath();
        assertThat(history.getList("vmKey")).contains("ovirt-1/" + vm.get("id"));
        assertThat(history.getList("hostKey")).contains("ovirt-1/" + ovirtHostId);
        assertThat(given().queryParam("q", "naa." + lun.substring(1)).get("/api/v1/search").then().statusCode(200)
                .extract().jsonPath().getList("kind")).contains("lun");
        assertThat(given().queryParam("q", vm.get("name")).get("/api/v1/search").then().statusCode(200)
                .extract().jsonPath().getList("key")).contains("ovirt-1/" + vm.get("id"));
        given().get("/api/v1/luns/not-a-wwid/history").then().statusCode(400)
                .contentType("application/problem+json");
        given().auth().none().get("/api/v1/export").then().statusCode(401);

        // A LUN behind a block storage domain (ground truth): its history and the search name the domain.
        Map<String, Object> domain = truth("ovirt-1").getList("blockStorageDomains", Map.class).get(0);
        @SuppressWarnings("unchecked")
        String domainLun = ((List<String>) domain.get("lunWwids")).get(0);
        String domainKey = "ovirt-1/" + domain.get("id");
        JsonPath domainHistory = given().get("/api/v1/luns/" + domainLun.substring(1).toUpperCase() + "/history")
                .then().statusCode(200).extract().jsonPath();
        assertThat(domainHistory.getList("storageDomain")).contains(domain.get("name") + " (" + domainKey + ")");
        assertThat(given().queryParam("q", domainLun).get("/api/v1/search").then().statusCode(200).extract()
                .jsonPath().getList("detail")).contains("backs storage domain " + domain.get("name") + " ("
                + domainKey + ")");
        // A name fragment (the middle of the VM's name, case changed) finds the VM through the name index.
        String name = (String) vm.get("name");
        String fragment = name.substring(1, name.length() - 1).toUpperCase();
        assertThat(given().queryParam("q", fragment).get("/api/v1/search").then().statusCode(200).extract()
                .jsonPath().getList("key")).contains("ovirt-1/" + vm.get("id"));
        try (Connection c = TestInfrastructure.get().jdbc();
             ResultSet rs = c.createStatement().executeQuery("select count(*) from pg_indexes where schemaname ="
                     + " 'mapping' and indexname in ('vm_name_trgm', 'host_interval_name_trgm')")) {
            rs.next();
            assertThat(rs.getInt(1)).as("trigram indexes (pg_trgm in the test's PostgreSQL)").isEqualTo(2);
        }
    }

    @Test
    @Order(6)
    void replayingAllTopicsIntoAnEmptyDatabaseGivesIdenticalHistory() throws Exception {
        refreshCollector("ovirt-1");
        refreshCollector("openstack-1");
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> true);
        Map<String, List<String>> before = snapshot();
        assertThat(before.get("vm_interval")).hasSizeGreaterThan(90);
        long applied = replay.rebuild();
        assertThat(applied).isPositive();
        Map<String, List<String>> after = snapshot();
        for (String table : before.keySet()) {
            assertThat(after.get(table)).as(table).containsExactlyElementsOf(before.get(table));
        }
    }

    private static Map<String, String> actual(JsonPath plan) {
        Map<String, String> m = new TreeMap<>();
        List<Map<String, Object>> entries = plan.getList("entries");
        for (Map<String, Object> e : entries) {
            String vmId = ((String) e.get("vm")).substring(((String) e.get("vm")).indexOf('/') + 1);
            m.put(vmId + " " + e.get("wwid"), "UNMAP".equals(e.get("decision")) ? "UNMAP"
                    : (String) e.get("keepReason"));
        }
        return m;
    }

    /**
     * Every history row, without the generated ids, in a stable order: intervals of one host or VM may start at the
     * same instant (a change observed at the very time of the previous one), so the event that opened each breaks
     * the tie.
     */
    private static Map<String, List<String>> snapshot() throws Exception {
        Map<String, String> queries = Map.of(
                "host_interval", "select host_key, host_name, cluster_id, status, platform_status, valid_from,"
                        + " valid_to, last_seen_at, event_id from mapping.host_interval order by host_key, valid_from,"
                        + " event_id",
                "vm_interval", "select vm_key, vm_name, host_key, cluster_id, status, platform_status, status_detail,"
                        + " deletion_state, reclaim_at, ip_addresses, vcpus, memory_bytes, valid_from, valid_to,"
                        + " last_seen_at, event_id from mapping.vm_interval order by vm_key, valid_from, event_id",
                "vm_disk_interval", "select vm_key, disk_id, disk_name, size_bytes, storage_type, lun_id, lun_wwid,"
                        + " valid_from, valid_to, last_seen_at, event_id from mapping.vm_disk_interval order by"
                        + " vm_key, disk_id, valid_from, event_id",
                "storage_domain_lun_interval", "select domain_key, lun_wwid, valid_from, valid_to, last_seen_at from"
                        + " mapping.storage_domain_lun_interval order by domain_key, lun_wwid, valid_from",
                "vm_name", "select vm_key, vm_name, first_seen_at from mapping.vm_name order by vm_key, vm_name");
        Map<String, List<String>> out = new TreeMap<>();
        try (Connection c = TestInfrastructure.get().jdbc()) {
            for (Map.Entry<String, String> q : queries.entrySet()) {
                List<String> rows = new ArrayList<>();
                try (ResultSet rs = c.createStatement().executeQuery(q.getValue())) {
                    ResultSetMetaData md = rs.getMetaData();
                    while (rs.next()) {
                        StringBuilder sb = new StringBuilder();
                        for (int i = 1; i <= md.getColumnCount(); i++) {
                            sb.append(rs.getString(i)).append('|');
                        }
                        rows.add(sb.toString());
                    }
                }
                out.put(q.getKey(), rows);
            }
        }
        return out;
    }
}
