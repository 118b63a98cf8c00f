package io.lifeboat.collector;

import io.lifeboat.collector.inventory.Collectors;
import io.lifeboat.common.envelope.CloudEventsKafka;
import io.lifeboat.common.envelope.EventEnvelope;
import io.lifeboat.common.change.HostStatusChanged;
import io.lifeboat.common.change.SignalSource;
import io.lifeboat.common.change.VmStatusChanged;
import io.lifeboat.common.inventory.DeletionState;
import io.lifeboat.common.inventory.DiskStorageType;
import io.lifeboat.common.inventory.HostState;
import io.lifeboat.common.inventory.HostStatus;
import io.lifeboat.common.inventory.PlacementAffinity;
import io.lifeboat.common.inventory.VmDisk;
import io.lifeboat.common.inventory.VmState;
import io.lifeboat.common.inventory.VmStatus;
import io.lifeboat.common.inventory.WatchdogAction;
import io.lifeboat.common.inventory.WatchdogSource;
import io.lifeboat.common.topic.Topic;
import io.lifeboat.testsupport.KafkaTestClient;
import io.lifeboat.testsupport.LifeboatInfra;
import io.lifeboat.testsupport.SimulatorProcess;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.ovirt.engine.sdk4.Connection;
import org.ovirt.engine.sdk4.ConnectionBuilder;
import org.ovirt.engine.sdk4.types.Vm;
import org.ovirt.engine.sdk4.types.VmAffinity;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * The collector against the real cloud-simulator (its own process) through the real SDKs, publishing to the real
 * broker and keeping its known state in the real PostgreSQL. Ordered: later steps fail hosts in the simulator.
 */
@QuarkusTest
@QuarkusTestResource(LifeboatInfra.class)
@QuarkusTestResource(SimulatedSources.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CollectorScenarioTest {

    private static final String OVIRT = "ovirt-1";
    private static final String OPENSTACK = "openstack-1";
    private static KafkaTestClient kafka;

    @Inject
    Collectors collectors;

    @BeforeAll
    static void connect() {
        kafka = new KafkaTestClient();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    // ------------------------------------------------------------------ helpers

    private static JsonPath refresh(String source) {
        return given().auth().preemptive().basic("operator", "operator")
                .queryParam("wait", true).post("/api/v1/sources/" + source + "/refresh")
                .then().statusCode(200).extract().jsonPath();
    }

    private static <T> Map<String, T> latest(Topic topic, Class<T> type, String source) {
        return InventoryTopics.latest(kafka, topic, type, source);
    }

    private static List<EventEnvelope<?>> changesOf(String source, Predicate<EventEnvelope<?>> filter) {
        List<EventEnvelope<?>> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : kafka.readToEnd(Topic.INFRA_EVENTS.topicName())) {
            EventEnvelope<?> e = CloudEventsKafka.decode(r.headers(), r.value());
            if (e.subject().startsWith(source + "/") && filter.test(e)) {
                out.add(e);
            }
        }
        return out;
    }

    private static String sim() {
        return SimulatorProcess.get().url();
    }

    private static Connection ovirtSdk() {
        return ConnectionBuilder.connection().url(sim() + "/ovirt/ovirt-1/ovirt-engine/api")
                .user("admin@internal").password("lifeboat").build();
    }

    private static String novaToken() {
        return given().contentType(ContentType.JSON).body("""
                        {"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"admin",
                        "domain":{"name":"Default"},"password":"lifeboat"}}},
                        "scope":{"project":{"name":"admin","domain":{"name":"Default"}}}}}""")
                .post(sim() + "/openstack/openstack-1/identity/v3/auth/tokens").then().statusCode(201)
                .extract().header("X-Subject-Token");
    }

    private static List<Map<String, Object>> novaServers() {
        return given().header("X-Auth-Token", novaToken()).header("OpenStack-API-Version", "compute 2.53")
                .queryParam("all_tenants", 1).get(sim() + "/openstack/openstack-1/compute/v2.1/servers/detail")
                .then().statusCode(200).extract().jsonPath().getList("servers");
    }

    private static void fail(String source, String host, String mode) {
        given().contentType(ContentType.JSON).body(Map.of("mode", mode))
                .post(sim() + "/sim/v1/sources/" + source + "/hosts/" + host + "/fail").then().statusCode(200);
    }

    // ------------------------------------------------------------------ scenarios

    @Test
    @Order(1)
    void ovirtVmsArePublishedFieldByField() throws Exception {
        JsonPath cycle = refresh(OVIRT);
        assertThat(cycle.getString("outcome")).isEqualTo("COMPLETE");
        assertThat(cycle.getInt("vms")).isEqualTo(50);

        Map<String, VmState> published = latest(Topic.INVENTORY_VMS, VmState.class, OVIRT);
        assertThat(published).hasSize(50);
        try (Connection c = ovirtSdk()) {
            List<Vm> vms = c.systemService().vmsService().list()
                    .follow("disk_attachments.disk,nics,reported_devices,watchdogs").send().vms();
            Map<String, String> hostNames = new HashMap<>();
            c.systemService().hostsService().list().send().hosts().forEach(h -> hostNames.put(h.id(), h.name()));
            // 50 VMs in pages of 20: 3 VM pages + clusters + hosts + storage domains (+ the SSO token), and the
            // virtual NUMA nodes of each VM pinned to hosts (the only ones the engine lets define them; no follow can
            // inline them): read once, not again while the VM does not restart
            long withHosts = vms.stream().filter(v -> !v.placementPolicy().hosts().isEmpty()).count();
            assertThat(withHosts).isPositive();
            assertThat(cycle.getLong("apiCalls")).isLessThanOrEqualTo(7 + withHosts);
            int lunVms = 0;
            int pinned = 0;
            int numa = 0;
            int ha = 0;
            int watchdogs = 0;
            for (Vm vm : vms) {
                VmState s = published.get(OVIRT + "/" + vm.id());
                assertThat(s).as(vm.name()).isNotNull();
                assertThat(s.name()).isEqualTo(vm.name());
                assertThat(s.platformStatus()).isEqualTo(vm.status().value());
                assertThat(s.memoryBytes()).isEqualTo(vm.memoryAsLong());
                assertThat(s.cpu().sockets()).isEqualTo(vm.cpu().topology().socketsAsInteger());
                assertThat(s.cpu().cores()).isEqualTo(vm.cpu().topology().coresAsInteger());
                int nodes = c.systemService().vmsService().vmService(vm.id()).numaNodesService().list().send()
                        .nodes().size();
                assertThat(s.cpu().numaNodes()).as("%s NUMA nodes", vm.name()).isEqualTo(nodes == 0 ? null : nodes);
                numa += nodes > 0 ? 1 : 0;
                assertThat(s.cluster().id()).isEqualTo(vm.cluster().id());
                assertThat(s.cluster().name()).isEqualTo("cl1-1");
                if (vm.host() == null) {
                    assertThat(s.host()).isNull();
                } else {
                    assertThat(s.host().key().hostId()).isEqualTo(vm.host().id());
                    assertThat(s.host().name()).isEqualTo(hostNames.get(vm.host().id()));
                }
                List<String> ips = vm.reportedDevices().stream().flatMap(d -> d.ips().stream())
                        .map(ip -> ip.address()).toList();
                assertThat(s.ipAddresses()).containsExactlyElementsOf(ips);
                assertThat(s.disks()).extracting(VmDisk::id)
                        .containsExactlyElementsOf(vm.diskAttachments().stream().map(a -> a.disk().id()).toList());
                List<String> sdkLuns = vm.diskAttachments().stream()
                        .filter(a -> a.disk().storageType() == org.ovirt.engine.sdk4.types.DiskStorageType.LUN)
                        .map(a -> a.disk().lunStorage().logicalUnits().get(0).id()).toList();
                assertThat(s.disks()).filteredOn(d -> d.storageType() == DiskStorageType.LUN)
                        .extracting(d -> d.lun().wwid().multipathWwid()).containsExactlyElementsOf(sdkLuns);
                for (VmDisk d : s.disks()) {
                    if (d.lun() != null) {
                        assertThat(d.lun().vendor()).isEqualTo("IBM");
                        assertThat(d.lun().product()).isEqualTo("2145");
                        assertThat(d.lun().serial()).startsWith("SIBM_2145_");
                        assertThat(d.lun().sizeBytes()).isPositive();
                    }
                }
                lunVms += sdkLuns.isEmpty() ? 0 : 1;
                assertThat(s.ha().enabled()).isEqualTo(vm.highAvailability().enabled());
                assertThat(s.ha().priority()).isEqualTo(vm.highAvailability().priorityAsInteger());
                ha += s.ha().enabled() ? 1 : 0;
                assertThat(s.placement().affinity().name()).isEqualTo(vm.placementPolicy().affinity().name());
                if (vm.placementPolicy().affinity() == VmAffinity.PINNED) {
                    assertThat(s.placement().affinity()).isEqualTo(PlacementAffinity.PINNED);
                    assertThat(s.placement().hosts()).extracting(k -> k.hostId())
                            .containsExactlyElementsOf(vm.placementPolicy().hosts().stream().map(h -> h.id()).toList());
                    pinned++;
                }
                assertThat(s.storageErrorResume()).isEqualTo(vm.storageErrorResumeBehaviour().value());
                if (vm.watchdogs().isEmpty()) {
                    assertThat(s.watchdog()).isNull();
                } else {
                    assertThat(s.watchdog().model()).isEqualTo("i6300esb");
                    assertThat(s.watchdog().action()).isEqualTo(WatchdogAction.parse(vm.watchdogs().get(0).action()
                            .value()));
                    assertThat(s.watchdog().source()).isEqualTo(WatchdogSource.OVIRT_DEVICE);
                    watchdogs++;
                }
                assertThat(s.deletion().state()).isEqualTo(DeletionState.NONE);
            }
            assertThat(lunVms).as("VMs with direct LUNs").isPositive();
            assertThat(pinned).as("pinned VMs").isPositive();
            assertThat(numa).as("VMs with virtual NUMA nodes").isPositive();
            assertThat(ha).as("HA VMs").isPositive();
            assertThat(watchdogs).as("VMs with a watchdog").isPositive();
        }
        Map<String, HostState> hosts = latest(Topic.INVENTORY_HOSTS, HostState.class, OVIRT);
        assertThat(hosts).hasSize(5).allSatisfy((k, h) -> assertThat(h.status()).isEqualTo(HostStatus.UP));
    }

    @Test
    @Order(2)
    void openstackServersArePublishedFieldByField() {
        JsonPath cycle = refresh(OPENSTACK);
        assertThat(cycle.getString("outcome")).isEqualTo("COMPLETE");
        Map<String, VmState> published = latest(Topic.INVENTORY_VMS, VmState.class, OPENSTACK);
        List<Map<String, Object>> servers = novaServers();
        assertThat(published).hasSize(servers.size()).hasSize(40);
        List<Map<String, Object>> truth = given().get(sim() + "/sim/v1/sources/openstack-1/truth").then()
                .extract().jsonPath().getList("servers");
        Map<String, List<String>> truthLuns = new HashMap<>();
        truth.forEach(t -> truthLuns.put((String) t.get("id"), castList(t.get("lunWwids"))));

        int softDeleted = 0;
        int byImage = 0;
        int byFlavor = 0;
        for (Map<String, Object> srv : servers) {
            String id = (String) srv.get("id");
            VmState s = published.get(OPENSTACK + "/" + id);
            assertThat(s).isNotNull();
            assertThat(s.name()).isEqualTo(srv.get("name"));
            assertThat(s.host().key().hostId()).isEqualTo(srv.get("OS-EXT-SRV-ATTR:host"));
            assertThat(s.nova().vmState()).isEqualTo(srv.get("OS-EXT-STS:vm_state"));
            assertThat(s.nova().powerState()).isEqualTo(srv.get("OS-EXT-STS:power_state"));
            assertThat(s.nova().instanceName()).isEqualTo(srv.get("OS-EXT-SRV-ATTR:instance_name"));
            assertThat(s.nova().hostStatus()).isEqualTo(srv.get("host_status"));
            @SuppressWarnings("unchecked")
            Map<String, Object> flavor = (Map<String, Object>) srv.get("flavor");
            assertThat(s.cpu().vcpus()).isEqualTo(flavor.get("vcpus"));
            assertThat(s.memoryBytes()).isEqualTo(((Number) flavor.get("ram")).longValue() * 1024 * 1024);
            assertThat(s.disks()).filteredOn(d -> d.lun() != null).extracting(d -> d.lun().wwid().multipathWwid())
                    .containsExactlyInAnyOrderElementsOf(truthLuns.get(id));
            @SuppressWarnings("unchecked")
            Map<String, String> md = (Map<String, String>) srv.get("metadata");
            assertThat(s.metadata()).isEqualTo(md);
            assertThat(s.tags()).containsExactlyElementsOf(castList(srv.get("tags")));
            @SuppressWarnings("unchecked")
            Map<String, String> specs = (Map<String, String>) flavor.get("extra_specs");
            assertThat(s.ha().enabled()).isEqualTo("true".equals(md.get("ha"))
                    || "true".equals(specs.get("evacuable")));
            if ("true".equals(md.get("ha"))) {
                assertThat(s.ha().priority()).isEqualTo(Integer.parseInt(md.get("ha_priority")));
            }
            @SuppressWarnings("unchecked")
            Map<String, List<Map<String, Object>>> addresses = (Map<String, List<Map<String, Object>>>) srv
                    .get("addresses");
            assertThat(s.ipAddresses()).containsExactlyElementsOf(addresses.values().stream()
                    .flatMap(List::stream).map(a -> (String) a.get("addr")).toList());
            if ("soft-delete".equals(srv.get("OS-EXT-STS:vm_state"))) {
                assertThat(s.status()).isEqualTo(VmStatus.SOFT_DELETED);
                assertThat(s.deletion().state()).isEqualTo(DeletionState.SOFT_DELETED);
                assertThat(s.deletion().reclaimAt()).isEqualTo(s.deletion().deletedAt().plus(Duration.ofHours(1)));
                softDeleted++;
            }
            @SuppressWarnings("unchecked")
            Map<String, String> extraSpecs = (Map<String, String>) flavor.get("extra_specs");
            String imageAction = "rhel9-watchdog".equals(imageName(srv)) ? "pause" : null;
            if (imageAction != null) {
                assertThat(s.watchdog().action()).isEqualTo(WatchdogAction.PAUSE);
                assertThat(s.watchdog().source()).isEqualTo(WatchdogSource.IMAGE_PROPERTY);
                byImage++;
            } else if (extraSpecs.containsKey("hw:watchdog_action")) {
                assertThat(s.watchdog().action()).isEqualTo(WatchdogAction.parse(extraSpecs.get("hw:watchdog_action")));
                assertThat(s.watchdog().source()).isEqualTo(WatchdogSource.FLAVOR_EXTRA_SPEC);
                byFlavor++;
            } else {
                assertThat(s.watchdog()).isNull();
            }
        }
        assertThat(softDeleted).as("soft-deleted servers").isPositive();
        assertThat(byImage).as("watchdog from the image property").isPositive();
        assertThat(byFlavor).as("watchdog from the flavor extra spec").isPositive();
        Map<String, HostState> hosts = latest(Topic.INVENTORY_HOSTS, HostState.class, OPENSTACK);
        assertThat(hosts).hasSize(5);
        assertThat(hosts.get(OPENSTACK + "/cmp1-a05").status()).as("the reserved host is disabled")
                .isEqualTo(HostStatus.MAINTENANCE);
        assertThat(hosts.get(OPENSTACK + "/cmp1-a01").hypervisorHostname()).isEqualTo("cmp1-a01.region1.example");
        assertThat(hosts.get(OPENSTACK + "/cmp1-a01").computeService().forcedDown()).isFalse();
    }

    private static java.util.Set<String> ids(List<ConsumerRecord<String, byte[]>> records) {
        java.util.Set<String> out = new java.util.HashSet<>();
        records.forEach(r -> out.add(new String(r.headers().lastHeader("ce_id").value())));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<String> castList(Object o) {
        return o == null ? List.of() : (List<String>) o;
    }

    private static String imageName(Map<String, Object> srv) {
        Object image = srv.get("image");
        if (!(image instanceof Map<?, ?> m)) {
            return null;
        }
        String id = (String) m.get("id");
        return given().header("X-Auth-Token", novaToken()).get(sim() + "/openstack/openstack-1/image/v2/images/" + id)
                .then().statusCode(200).extract().path("name");
    }

    @Test
    @Order(3)
    void anUnchangedCyclePublishesNothing() {
        refresh(OVIRT);
        refresh(OPENSTACK);
        java.util.Set<String> infraBefore = ids(kafka.readToEnd(Topic.INFRA_EVENTS.topicName()));
        int vmsBefore = kafka.readToEnd(Topic.INVENTORY_VMS.topicName()).size();
        JsonPath o = refresh(OVIRT);
        JsonPath s = refresh(OPENSTACK);
        // the same 3 VM pages, clusters, hosts and storage domains: no VM's NUMA nodes read again
        assertThat(o.getLong("apiCalls")).isEqualTo(6);
        assertThat(o.getInt("changes")).isZero();
        assertThat(o.getInt("statesPublished")).isZero();
        assertThat(s.getInt("changes")).isZero();
        assertThat(s.getInt("statesPublished")).isZero();
        // Only the two cycle reports were added to the change topic; nothing to the VM topic.
        List<ConsumerRecord<String, byte[]>> added = kafka.readToEnd(Topic.INFRA_EVENTS.topicName()).stream()
                .filter(r -> !infraBefore.contains(new String(r.headers().lastHeader("ce_id").value()))).toList();
        assertThat(added).hasSize(2).allSatisfy(r ->
                assertThat(new String(r.headers().lastHeader("ce_type").value()))
                        .isEqualTo("lifeboat.collection.cycle-finished.v1"));
        assertThat(kafka.readToEnd(Topic.INVENTORY_VMS.topicName())).hasSize(vmsBefore);
    }

    @Test
    @Order(4)
    void aRestartedCollectorPublishesNoFalseChanges() {
        // A restart: new collectors and SDK clients built from configuration, with only the database to remember.
        int vmsBefore = kafka.readToEnd(Topic.INVENTORY_VMS.topicName()).size();
        for (String source : List.of(OVIRT, OPENSTACK)) {
            var fresh = collectors.newCollector(source);
            try {
                var cycle = fresh.runCycle();
                assertThat(cycle.outcome().name()).isEqualTo("COMPLETE");
                assertThat(cycle.changes()).as(source).isZero();
                assertThat(cycle.statesPublished()).as(source).isZero();
            } finally {
                fresh.close();
            }
        }
        assertThat(kafka.readToEnd(Topic.INVENTORY_VMS.topicName())).hasSize(vmsBefore);
    }

    @Test
    @Order(5)
    void sourcesEndpointNeedsRolesAndNeverShowsCredentials() {
        given().get("/api/v1/sources").then().statusCode(401);
        String body = given().auth().preemptive().basic("viewer", "viewer").get("/api/v1/sources").then()
                .statusCode(200)
                .body("find { it.id == 'ovirt-1' }.health", equalTo("UP"))
                .body("find { it.id == 'ovirt-1' }.lastCycle.outcome", equalTo("COMPLETE"))
                .body("find { it.id == 'ovirt-1' }.lastCycle.vms", equalTo(50))
                .body("find { it.id == 'openstack-1' }.kind", equalTo("openstack"))
                .extract().asString();
        assertThat(body).doesNotContain("lifeboat\"").doesNotContain("password");
        given().auth().preemptive().basic("viewer", "viewer").post("/api/v1/sources/ovirt-1/refresh").then()
                .statusCode(403);
        given().auth().preemptive().basic("operator", "operator").post("/api/v1/sources/nowhere/refresh").then()
                .statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("urn:lifeboat:problem:source-not-found"));
        given().auth().preemptive().basic("operator", "operator").post("/api/v1/sources/ovirt-1/refresh").then()
                .statusCode(202).body("status", equalTo("running"));
        given().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("lifeboat_collector_api_calls_total{source=\"ovirt-1\"}"))
                .body(org.hamcrest.Matchers.containsString("lifeboat_collector_cycle_seconds_count"))
                .body(org.hamcrest.Matchers.containsString("lifeboat_collector_items{kind=\"vm\",source=\"ovirt-1\"}"));
    }

    @Test
    @Order(6)
    void ovirtPowerLossIsSignalledByTheEventsFeedBeforeAnyCycle() {
        refresh(OVIRT);
        String host = "hv1-1-02";
        String hostId = given().get(sim() + "/sim/v1/sources/ovirt-1/truth").then().extract().jsonPath()
                .getString("hosts.find { it.name == '" + host + "' }.id");
        List<String> runningThere = latest(Topic.INVENTORY_VMS, VmState.class, OVIRT).values().stream()
                .filter(v -> v.status() == VmStatus.RUNNING && v.host() != null
                        && v.host().key().hostId().equals(hostId)).map(v -> v.vm().toString()).toList();
        assertThat(runningThere).isNotEmpty();

        fail("ovirt-1", host, "POWER_LOSS");

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            List<EventEnvelope<?>> hostChanges = changesOf(OVIRT, e -> e.data() instanceof HostStatusChanged h
                    && h.host().hostId().equals(hostId) && h.current() == HostStatus.NON_RESPONSIVE);
            assertThat(hostChanges).hasSize(1);
            HostStatusChanged h = hostChanges.get(0).dataAs(HostStatusChanged.class);
            assertThat(h.signal()).isEqualTo(SignalSource.ENGINE_EVENT);
            assertThat(h.previous()).isEqualTo(HostStatus.UP);
            List<EventEnvelope<?>> vmChanges = changesOf(OVIRT, e -> e.data() instanceof VmStatusChanged v
                    && runningThere.contains(v.vm().toString()) && v.current() == VmStatus.UNKNOWN);
            assertThat(vmChanges).hasSize(runningThere.size()).allSatisfy(e ->
                    assertThat(e.dataAs(VmStatusChanged.class).signal()).isEqualTo(SignalSource.ENGINE_EVENT));
        });
    }

    @Test
    @Order(7)
    void ovirtStorageLossPausesVmsWithEioThroughTheEventsFeed() {
        String host = "hv1-1-03";
        String hostId = given().get(sim() + "/sim/v1/sources/ovirt-1/truth").then().extract().jsonPath()
                .getString("hosts.find { it.name == '" + host + "' }.id");
        List<String> runningThere = latest(Topic.INVENTORY_VMS, VmState.class, OVIRT).values().stream()
                .filter(v -> v.status() == VmStatus.RUNNING && v.host() != null
                        && v.host().key().hostId().equals(hostId)).map(v -> v.vm().toString()).toList();
        fail("ovirt-1", host, "STORAGE_LOSS");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            List<EventEnvelope<?>> paused = changesOf(OVIRT, e -> e.data() instanceof VmStatusChanged v
                    && runningThere.contains(v.vm().toString()) && v.current() == VmStatus.PAUSED);
            assertThat(paused).hasSize(runningThere.size()).allSatisfy(e -> {
                VmStatusChanged v = e.dataAs(VmStatusChanged.class);
                assertThat(v.statusDetail()).isEqualTo("eio");
                assertThat(v.signal()).isEqualTo(SignalSource.ENGINE_EVENT);
            });
        });
        // and the compacted topic carries the paused state
        assertThat(latest(Topic.INVENTORY_VMS, VmState.class, OVIRT).get(runningThere.get(0)).statusDetail())
                .isEqualTo("eio");
    }

    @Test
    @Order(8)
    void openstackPowerLossIsSignalledByOsServices() {
        refresh(OPENSTACK);
        fail("openstack-1", "cmp1-a02", "POWER_LOSS");
        // Nova marks the service down after service_down_time (3 s in the test simulator); the poll runs every 1 s.
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            List<EventEnvelope<?>> down = changesOf(OPENSTACK, e -> e.data() instanceof HostStatusChanged h
                    && h.host().hostId().equals("cmp1-a02") && h.current() == HostStatus.DOWN);
            assertThat(down).hasSize(1);
            assertThat(down.get(0).dataAs(HostStatusChanged.class).signal()).isEqualTo(SignalSource.SERVICE_POLL);
            assertThat(down.get(0).dataAs(HostStatusChanged.class).platformStatus()).isEqualTo("down/enabled");
        });
    }

    @Test
    @Order(9)
    void openstackStorageLossIsSignalledByChangesSince() {
        List<String> withVolumes = latest(Topic.INVENTORY_VMS, VmState.class, OPENSTACK).values().stream()
                .filter(v -> v.host() != null && v.host().key().hostId().equals("cmp1-a03")
                        && v.status() == VmStatus.RUNNING && v.disks().stream().anyMatch(d -> d.lun() != null))
                .map(v -> v.vm().toString()).toList();
        assertThat(withVolumes).isNotEmpty();
        fail("openstack-1", "cmp1-a03", "STORAGE_LOSS");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            List<EventEnvelope<?>> paused = changesOf(OPENSTACK, e -> e.data() instanceof VmStatusChanged v
                    && withVolumes.contains(v.vm().toString()) && v.current() == VmStatus.PAUSED);
            assertThat(paused).hasSize(withVolumes.size()).allSatisfy(e ->
                    assertThat(e.dataAs(VmStatusChanged.class).signal()).isEqualTo(SignalSource.CHANGES_POLL));
        });
    }

    @Test
    @Order(10)
    void cinderListingNothingForAttachedVolumesIsNotTrusted() {
        // openstack4j turns a 404 into an empty list: a Cinder that "lists no volumes" while servers have volumes
        // attached must not produce disks without their LUNs.
        given().contentType(ContentType.JSON).body(List.of(Map.of("api", "cinder", "operation", "cinder.volumes",
                        "rate", 1.0, "status", 404, "message", "Project could not be found.")))
                .put(sim() + "/sim/v1/faults/errors").then().statusCode(200);
        try {
            Map<String, VmState> before = latest(Topic.INVENTORY_VMS, VmState.class, OPENSTACK);
            JsonPath cycle = refresh(OPENSTACK);
            assertThat(cycle.getString("outcome")).isEqualTo("PARTIAL");
            assertThat(cycle.getList("errors", String.class)).anySatisfy(e -> assertThat(e)
                    .startsWith("Cinder did not list").contains("volume(s) attached to servers"));
            Map<String, VmState> after = latest(Topic.INVENTORY_VMS, VmState.class, OPENSTACK);
            assertThat(after.values()).allSatisfy(v -> assertThat(v.disks()).filteredOn(d -> d.storageType()
                    == DiskStorageType.VOLUME).allSatisfy(d -> assertThat(d.lun()).as(v.name()).isNotNull()));
            assertThat(after.keySet()).isEqualTo(before.keySet());
        } finally {
            given().delete(sim() + "/sim/v1/faults").then().statusCode(204);
        }
    }

    @Test
    @Order(11)
    void aFailingSourceIsReportedAndNeverEmptiesTheInventory() {
        int vmsOnTopic = latest(Topic.INVENTORY_VMS, VmState.class, OVIRT).size();
        given().contentType(ContentType.JSON).body(List.of(Map.of("api", "ovirt", "operation", "ovirt.storageDomains",
                        "rate", 1.0, "status", 503, "message", "storage domains unavailable")))
                .put(sim() + "/sim/v1/faults/errors").then().statusCode(200);
        JsonPath partial = refresh(OVIRT);
        assertThat(partial.getString("outcome")).isEqualTo("PARTIAL");
        assertThat(partial.getList("errors", String.class)).anySatisfy(e -> assertThat(e)
                .contains("list storage domains").contains("storage domains unavailable"));

        given().contentType(ContentType.JSON).body(List.of(Map.of("api", "ovirt", "rate", 1.0, "status", 503)))
                .put(sim() + "/sim/v1/faults/errors").then().statusCode(200);
        JsonPath failed = refresh(OVIRT);
        assertThat(failed.getString("outcome")).isEqualTo("FAILED");
        given().auth().preemptive().basic("viewer", "viewer").get("/api/v1/sources/ovirt-1").then()
                .statusCode(200).body("health", equalTo("DOWN"));
        // the other source is unaffected
        assertThat(refresh(OPENSTACK).getString("outcome")).isEqualTo("COMPLETE");
        // nothing was removed from the inventory
        assertThat(latest(Topic.INVENTORY_VMS, VmState.class, OVIRT)).hasSize(vmsOnTopic);
        assertThat(changesOf(OVIRT, e -> e.type().type().equals("lifeboat.vm.removed.v1"))).isEmpty();
        given().delete(sim() + "/sim/v1/faults").then().statusCode(204);
    }
}
