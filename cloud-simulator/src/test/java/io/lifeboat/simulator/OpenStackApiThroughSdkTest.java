package io.lifeboat.simulator;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openstack4j.api.OSClient.OSClientV3;
import org.openstack4j.api.exceptions.ClientResponseException;
import org.openstack4j.model.common.ActionResponse;
import org.openstack4j.model.common.Identifier;
import org.openstack4j.model.compute.Action;
import org.openstack4j.model.compute.Server;
import org.openstack4j.model.compute.actions.EvacuateOptions;
import org.openstack4j.model.compute.ext.Service;
import org.openstack4j.model.image.v2.Image;
import org.openstack4j.model.storage.block.Volume;
import org.openstack4j.openstack.OSFactory;

import java.net.URL;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * The Keystone, Nova, Glance and Cinder emulation, driven through openstack4j 3.12 (OkHttp connector) and the control
 * API. Where openstack4j hides the wire (a 404 becomes null; it has no restore and no 2.53 force-down), the exact
 * answer is also checked with a plain HTTP call carrying openstack4j's own token.
 */
@QuarkusTest
class OpenStackApiThroughSdkTest {

    private static final String SOURCE = "openstack-1";

    @TestHTTPResource("/")
    URL base;

    private OSClientV3 os;

    @BeforeEach
    void connect() {
        SimulatorControl.reseed(42);
        os = login();
    }

    private OSClientV3 login() {
        return OSFactory.builderV3()
                .endpoint(base.toString().replaceAll("/$", "") + "/openstack/" + SOURCE + "/identity/v3")
                .credentials("admin", "lifeboat", Identifier.byName("Default"))
                .scopeToProject(Identifier.byName("admin"), Identifier.byName("Default"))
                .authenticate();
    }

    private void microversion(String v) {
        os.headers(Map.of("OpenStack-API-Version", "compute " + v));
    }

    private String nova() {
        return base.toString().replaceAll("/$", "") + "/openstack/" + SOURCE + "/compute/v2.1";
    }

    @Test
    void serversAcrossTenantsCarryTheHaFields() {
        List<? extends Server> servers = os.compute().servers().list(Map.of("all_tenants", "1"));
        List<Map<String, Object>> truth = SimulatorControl.truth(SOURCE).jsonPath().getList("servers");
        assertThat(servers).hasSize(truth.size()).hasSize(40);

        Server s = servers.stream().filter(x -> "active".equals(x.getVmState())).findFirst().orElseThrow();
        assertThat(s.getStatus()).isEqualTo(Server.Status.ACTIVE);
        assertThat(s.getPowerState()).isEqualTo("1");
        assertThat(s.getHost()).matches("cmp1-a0[1-4]");
        assertThat(s.getHypervisorHostname()).isEqualTo(s.getHost() + ".region1.example");
        assertThat(s.getInstanceName()).matches("instance-0000a[0-9a-f]{3}");
        assertThat(s.getOsExtendedVolumesAttached()).hasSize(2);
        assertThat(s.getFlavor().getName()).isNotNull();   // below 2.47 openstack4j fetches /flavors/{id}
        assertThat(s.getAddresses().getAddresses("private")).hasSize(1);

        Server softDeleted = servers.stream().filter(x -> "soft-delete".equals(x.getVmState())).findFirst()
                .orElseThrow();
        // SOFT_DELETED is not in openstack4j's enum (toolchain.md): read OS-EXT-STS:vm_state instead.
        assertThat(softDeleted.getStatus()).isEqualTo(Server.Status.UNRECOGNIZED);
        assertThat(softDeleted.getPowerState()).isEqualTo("4");

        assertThat(servers).anySatisfy(x -> assertThat(x.getMetadata()).containsEntry("ha", "true"));
        assertThat(os.compute().servers().list(Map.of("all_tenants", "1", "host", "cmp1-a02")))
                .hasSize(10).allSatisfy(x -> assertThat(x.getHost()).isEqualTo("cmp1-a02"));
    }

    @Test
    void pagingByLimitAndMarker() {
        List<? extends Server> first = os.compute().servers().list(Map.of("all_tenants", "1", "limit", "15"));
        assertThat(first).hasSize(15);
        List<? extends Server> second = os.compute().servers().list(Map.of("all_tenants", "1", "limit", "15",
                "marker", first.get(14).getId()));
        List<? extends Server> third = os.compute().servers().list(Map.of("all_tenants", "1", "limit", "15",
                "marker", second.get(14).getId()));
        assertThat(second).hasSize(15);
        assertThat(third).hasSize(10);
        Set<String> ids = new java.util.HashSet<>();
        for (List<? extends Server> page : List.of(first, second, third)) {
            page.forEach(x -> ids.add(x.getId()));
        }
        assertThat(ids).hasSize(40);
        String token = os.getToken().getId();
        given().header("X-Auth-Token", token).queryParam("all_tenants", 1).queryParam("limit", 15)
                .get(nova() + "/servers/detail").then().statusCode(200)
                .body("servers_links[0].rel", equalTo("next"));
    }

    @Test
    void flavorsImagesAndVolumesCarryWatchdogAndLunData() {
        assertThat(os.compute().flavors().listExtraSpecs("3")).containsEntry("hw:watchdog_action", "reset");
        List<? extends Image> images = os.imagesV2().list();
        assertThat(images).anySatisfy(i -> assertThat(i.getAdditionalPropertyValue("hw_watchdog_action"))
                .isEqualTo("pause"));

        List<? extends Volume> volumes = os.blockStorage().volumes().list(Map.of("all_tenants", "1"));
        assertThat(volumes).isNotEmpty();
        Map<String, List<String>> truthLuns = new HashMap<>();
        for (Map<String, Object> srv : SimulatorControl.truth(SOURCE).jsonPath()
                .<Map<String, Object>>getList("servers")) {
            @SuppressWarnings("unchecked")
            List<String> luns = (List<String>) srv.get("lunWwids");
            truthLuns.put((String) srv.get("id"), luns);
        }
        Volume v = volumes.get(0);
        assertThat(v.getMetaData().get("volume_wwn")).matches("600507680C8081B2E8[0-9A-F]{14}");
        assertThat(v.getAttachments()).hasSize(1);
        String serverId = v.getAttachments().get(0).getServerId();
        assertThat(truthLuns.get(serverId)).contains("3" + v.getMetaData().get("volume_wwn").toLowerCase());
        Server attachedTo = os.compute().servers().get(serverId);
        assertThat(v.getAttachments().get(0).getHostname()).isEqualTo(attachedTo.getHost());
        assertThat(v.host()).isEqualTo("ctl@svc#Pool0");
    }

    @Test
    void computeServicesInBothForceDownForms() {
        List<? extends Service> at21 = os.compute().services().list();
        assertThat(at21).hasSize(5).allSatisfy(s -> assertThat(s.getForcedDown()).isNull());
        assertThat(at21.get(0).getId()).matches("\\d+");

        microversion("2.11");
        os.compute().services().forceDownService("nova-compute", "cmp1-a01");
        Service forced = os.compute().services().list(Map.of("host", "cmp1-a01")).get(0);
        assertThat(forced.getForcedDown()).isEqualTo("true");
        assertThat(forced.getState()).isEqualTo(Service.State.DOWN);

        // 2.53: PUT /os-services/{uuid}; ids are UUIDs.
        String token = os.getToken().getId();
        String uuid = given().header("X-Auth-Token", token).header("OpenStack-API-Version", "compute 2.53")
                .queryParam("host", "cmp1-a02").get(nova() + "/os-services").then().statusCode(200)
                .extract().path("services[0].id");
        assertThat(uuid).matches("[0-9a-f-]{36}");
        given().header("X-Auth-Token", token).header("OpenStack-API-Version", "compute 2.53")
                .contentType(ContentType.JSON)
                .body(Map.of("forced_down", true, "status", "disabled", "disabled_reason", "fenced by lifeboat"))
                .put(nova() + "/os-services/" + uuid).then().statusCode(200)
                .body("service.forced_down", equalTo(true)).body("service.state", equalTo("down"))
                .body("service.status", equalTo("disabled"))
                .body("service.disabled_reason", equalTo("fenced by lifeboat"));
        given().header("X-Auth-Token", token).header("OpenStack-API-Version", "compute 2.53")
                .contentType(ContentType.JSON).body(Map.of())
                .put(nova() + "/os-services/" + uuid).then().statusCode(400)
                .body("badRequest.message", equalTo("No updates were requested. Fields 'status' or 'forced_down'"
                        + " should be specified."));
        // At 2.53 the old path is a service id that is not a UUID.
        given().header("X-Auth-Token", token).header("OpenStack-API-Version", "compute 2.53")
                .contentType(ContentType.JSON).body(Map.of("host", "cmp1-a03", "binary", "nova-compute",
                        "forced_down", true))
                .put(nova() + "/os-services/force-down").then().statusCode(400)
                .body("badRequest.message", equalTo("Invalid uuid force-down"));
    }

    @Test
    void evacuateRefusalsComeInNovasOrderWithItsCodes() {
        microversion("2.11");
        String token = os.getToken().getId();
        Server active = os.compute().servers().list(Map.of("all_tenants", "1", "host", "cmp1-a01")).stream()
                .filter(x -> "active".equals(x.getVmState())).findFirst().orElseThrow();

        // 1. unknown target host → 404 (openstack4j turns a 404 into null)
        assertThat(os.compute().servers().evacuate(active.getId(), EvacuateOptions.create().host("nope"))).isNull();
        given().header("X-Auth-Token", token).header("OpenStack-API-Version", "compute 2.11")
                .contentType(ContentType.JSON).body(Map.of("evacuate", Map.of("host", "nope",
                        "onSharedStorage", false)))
                .post(nova() + "/servers/" + active.getId() + "/action").then().statusCode(404)
                .body("itemNotFound.message", equalTo("Compute host nope not found."));
        // 2. the same host → 400, even while the service is up
        assertThatThrownBy(() -> os.compute().servers().evacuate(active.getId(),
                EvacuateOptions.create().host("cmp1-a01")))
                .isInstanceOf(ClientResponseException.class)
                .hasMessage("The target host can't be the same one.")
                .satisfies(e -> assertThat(((ClientResponseException) e).getStatus()).isEqualTo(400));
        // 3. a state evacuate refuses → 409, checked before the service
        Server softDeleted = os.compute().servers().list(Map.of("all_tenants", "1")).stream()
                .filter(x -> "soft-delete".equals(x.getVmState())).findFirst().orElseThrow();
        assertThatThrownBy(() -> os.compute().servers().evacuate(softDeleted.getId(), EvacuateOptions.create()))
                .isInstanceOf(ClientResponseException.class)
                .hasMessage("Cannot 'evacuate' instance " + softDeleted.getId() + " while it is in vm_state"
                        + " soft-delete")
                .satisfies(e -> assertThat(((ClientResponseException) e).getStatus()).isEqualTo(409));
        // 4. the source compute service still up → 400 (not 409)
        assertThatThrownBy(() -> os.compute().servers().evacuate(active.getId(), EvacuateOptions.create()))
                .isInstanceOf(ClientResponseException.class)
                .hasMessage("Compute service of cmp1-a01 is still in use.")
                .satisfies(e -> assertThat(((ClientResponseException) e).getStatus()).isEqualTo(400));
        // 5. the request schema: onSharedStorage is gone from 2.14, force from 2.68
        given().header("X-Auth-Token", token).header("OpenStack-API-Version", "compute 2.14")
                .contentType(ContentType.JSON).body(Map.of("evacuate", Map.of("onSharedStorage", false)))
                .post(nova() + "/servers/" + active.getId() + "/action").then().statusCode(400)
                .body("badRequest.message", org.hamcrest.Matchers.containsString(
                        "Additional properties are not allowed ('onSharedStorage' was unexpected)"));
        given().header("X-Auth-Token", token).header("OpenStack-API-Version", "compute 2.68")
                .contentType(ContentType.JSON).body(Map.of("evacuate", Map.of("host", "cmp1-a02", "force", true)))
                .post(nova() + "/servers/" + active.getId() + "/action").then().statusCode(400);
        given().header("X-Auth-Token", token).header("OpenStack-API-Version", "compute 2.29")
                .contentType(ContentType.JSON).body(Map.of("evacuate", Map.of("force", true)))
                .post(nova() + "/servers/" + active.getId() + "/action").then().statusCode(400)
                .body("badRequest.message", equalTo("Can't force to a non-provided destination"));
        assertThat(SimulatorControl.calls(SOURCE + " nova.action.evacuate")).isEqualTo(8);
    }

    @Test
    void aHostLosesPowerAndEveryInstanceIsEvacuatedToActive() {
        microversion("2.11");
        List<? extends Server> onHost = os.compute().servers().list(Map.of("all_tenants", "1", "host", "cmp1-a03"));
        List<? extends Server> evacuable = onHost.stream()
                .filter(x -> Set.of("active", "stopped", "error").contains(x.getVmState())).toList();
        assertThat(evacuable).isNotEmpty();

        SimulatorControl.fail(SOURCE, "cmp1-a03", "POWER_LOSS");
        // Nova sees the service down only after service_down_time (3 s in tests) without heartbeats.
        assertThat(os.compute().services().list(Map.of("host", "cmp1-a03")).get(0).getState())
                .isEqualTo(Service.State.UP);
        await().pollInSameThread().atMost(Duration.ofSeconds(10)).until(() ->
                os.compute().services().list(Map.of("host", "cmp1-a03")).get(0).getState() == Service.State.DOWN);
        os.compute().services().forceDownService("nova-compute", "cmp1-a03");

        for (Server s : evacuable) {
            assertThat(os.compute().servers().evacuate(s.getId(), EvacuateOptions.create()).getPassword())
                    .isNotBlank();
        }
        assertThat(os.compute().servers().get(evacuable.get(0).getId()).getStatus())
                .isEqualTo(Server.Status.REBUILD);
        await().pollInSameThread().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            for (Server s : evacuable) {
                Server now = os.compute().servers().get(s.getId());
                assertThat(now.getTaskState()).isNull();
                assertThat(now.getHost()).isNotEqualTo("cmp1-a03");
                assertThat(now.getVmState()).isEqualTo(s.getVmState());   // stopped ones stay stopped
            }
        });
        // Reserved hosts (cmp1-a05, disabled) are not chosen by the scheduler.
        assertThat(evacuable).allSatisfy(s -> assertThat(os.compute().servers().get(s.getId()).getHost())
                .isNotEqualTo("cmp1-a05"));
        assertThat(SimulatorControl.calls(SOURCE + " nova.action.evacuate")).isEqualTo(evacuable.size());
        List<Map<String, Object>> truth = SimulatorControl.truth(SOURCE).jsonPath().getList("servers");
        Map<String, Object> moved = truth.stream().filter(t -> t.get("id").equals(evacuable.get(0).getId()))
                .findFirst().orElseThrow();
        assertThat(moved.get("host")).isNotEqualTo("cmp1-a03");
    }

    @Test
    void evacuationAt295EndsStoppedAndAnInjectedFailureEndsInError() {
        String token = os.getToken().getId();
        List<? extends Server> onHost = os.compute().servers().list(Map.of("all_tenants", "1", "host", "cmp1-a04"))
                .stream().filter(x -> "active".equals(x.getVmState())).toList();
        Server first = onHost.get(0);
        Server second = onHost.get(1);
        given().post("/sim/v1/sources/" + SOURCE + "/servers/" + second.getId() + "/fail-next-evacuation")
                .then().statusCode(204);
        SimulatorControl.fail(SOURCE, "cmp1-a04", "POWER_LOSS");
        microversion("2.11");
        os.compute().services().forceDownService("nova-compute", "cmp1-a04");

        // 2.95: an empty 200 (openstack4j cannot parse it, so plain HTTP), and the instance ends stopped.
        for (Server s : List.of(first, second)) {
            given().header("X-Auth-Token", token).header("OpenStack-API-Version", "compute 2.95")
                    .contentType(ContentType.JSON).body(Map.of("evacuate", Map.of()))
                    .post(nova() + "/servers/" + s.getId() + "/action").then().statusCode(200)
                    .body(equalTo(""));
        }
        await().pollInSameThread().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Server a = os.compute().servers().get(first.getId());
            assertThat(a.getStatus()).isEqualTo(Server.Status.SHUTOFF);
            assertThat(a.getHost()).isNotEqualTo("cmp1-a04");
            Server b = os.compute().servers().get(second.getId());
            assertThat(b.getStatus()).isEqualTo(Server.Status.ERROR);
            assertThat(b.getHost()).isEqualTo("cmp1-a04");
            assertThat(b.getFault().getMessage()).contains("injected rebuild failure");
        });
        given().header("X-Auth-Token", token).queryParam("instance_uuid", second.getId())
                .queryParam("migration_type", "evacuation").get(nova() + "/os-migrations").then().statusCode(200)
                .body("migrations[0].status", equalTo("failed"))
                .body("migrations[0].source_compute", equalTo("cmp1-a04"));
        given().header("X-Auth-Token", token).queryParam("instance_uuid", first.getId())
                .get(nova() + "/os-migrations").then().statusCode(200)
                .body("migrations[0].status", equalTo("done"));
        // While 'done' evacuations remain, forced_down cannot be unset (the host must restart first).
        assertThatThrownBy(() -> os.compute().services().forceUpService("nova-compute", "cmp1-a04"))
                .isInstanceOf(ClientResponseException.class)
                .satisfies(e -> assertThat(((ClientResponseException) e).getStatus()).isEqualTo(400));
        SimulatorControl.recover(SOURCE, "cmp1-a04");
        given().header("X-Auth-Token", token).queryParam("instance_uuid", first.getId())
                .get(nova() + "/os-migrations").then().body("migrations[0].status", equalTo("completed"));
        assertThat(os.compute().services().forceUpService("nova-compute", "cmp1-a04").getForcedDown())
                .isEqualTo("false");
    }

    @Test
    void hypervisorsWithServersAtModernMicroversions() {
        String token = os.getToken().getId();
        given().header("X-Auth-Token", token).header("OpenStack-API-Version", "compute 2.53")
                .queryParam("hypervisor_hostname_pattern", "cmp1-a01").queryParam("with_servers", "true")
                .get(nova() + "/os-hypervisors").then().statusCode(200)
                .body("hypervisors", org.hamcrest.Matchers.hasSize(1))
                .body("hypervisors[0].servers", org.hamcrest.Matchers.hasSize(10))
                .body("hypervisors[0].id", org.hamcrest.Matchers.matchesPattern("[0-9a-f-]{36}"));
        // Reserved hosts carry no servers: the key is absent, as in Nova.
        given().header("X-Auth-Token", token).header("OpenStack-API-Version", "compute 2.53")
                .queryParam("hypervisor_hostname_pattern", "cmp1-a05").queryParam("with_servers", "true")
                .get(nova() + "/os-hypervisors").then().statusCode(200)
                .body("hypervisors[0].servers", org.hamcrest.Matchers.nullValue());
        given().header("X-Auth-Token", token).header("OpenStack-API-Version", "compute 2.47, volume 3.27")
                .get(nova() + "/servers/detail").then().statusCode(200)
                .header("OpenStack-API-Version", "compute 2.47")
                .body("servers[0].flavor.original_name", org.hamcrest.Matchers.notNullValue())
                .body("servers[0].flavor.id", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void startStopResetSoftDeleteRestoreAndForceDelete() {
        microversion("2.11");
        String token = os.getToken().getId();
        Server s = os.compute().servers().list(Map.of("all_tenants", "1")).stream()
                .filter(x -> "active".equals(x.getVmState())).findFirst().orElseThrow();

        assertThat(os.compute().servers().action(s.getId(), Action.STOP).isSuccess()).isTrue();
        assertThat(os.compute().servers().get(s.getId()).getStatus()).isEqualTo(Server.Status.SHUTOFF);
        ActionResponse again = os.compute().servers().action(s.getId(), Action.STOP);
        assertThat(again.isSuccess()).isFalse();
        assertThat(again.getCode()).isEqualTo(409);
        assertThat(again.getFault()).isEqualTo("Cannot 'stop' instance " + s.getId() + " while it is in vm_state"
                + " stopped");
        assertThat(os.compute().servers().action(s.getId(), Action.START).isSuccess()).isTrue();
        assertThat(os.compute().servers().resetState(s.getId(), Server.Status.ERROR).isSuccess()).isTrue();
        assertThat(os.compute().servers().get(s.getId()).getVmState()).isEqualTo("error");

        // Soft delete, restore (openstack4j has no restore action: plain HTTP), force delete.
        assertThat(os.compute().servers().delete(s.getId()).isSuccess()).isTrue();
        assertThat(os.compute().servers().get(s.getId()).getVmState()).isEqualTo("soft-delete");
        given().header("X-Auth-Token", token).contentType(ContentType.JSON).body("{\"restore\": null}")
                .post(nova() + "/servers/" + s.getId() + "/action").then().statusCode(202);
        assertThat(os.compute().servers().get(s.getId()).getVmState()).isEqualTo("active");
        given().header("X-Auth-Token", token).contentType(ContentType.JSON).body("{\"restore\": null}")
                .post(nova() + "/servers/" + s.getId() + "/action").then().statusCode(409)
                .body("conflictingRequest.message", equalTo("Cannot 'restore' instance " + s.getId()
                        + " while it is in vm_state active"));
        assertThat(os.compute().servers().action(s.getId(), Action.FORCEDELETE).isSuccess()).isTrue();
        assertThat(os.compute().servers().get(s.getId())).isNull();
        given().header("X-Auth-Token", token).queryParam("deleted", "true").queryParam("all_tenants", 1)
                .get(nova() + "/servers/detail").then().statusCode(200)
                .body("servers.find { it.id == '" + s.getId() + "' }.'OS-EXT-STS:vm_state'", equalTo("deleted"));
    }

    @Test
    void reclaimedServerCanLeaveItsDomainBehind() {
        Server s = os.compute().servers().list(Map.of("all_tenants", "1")).stream()
                .filter(x -> "active".equals(x.getVmState())).findFirst().orElseThrow();
        given().contentType(ContentType.JSON).body(Map.of("reclaimInterval", "PT1S"))
                .put("/sim/v1/sources/" + SOURCE + "/settings").then().statusCode(200);
        given().post("/sim/v1/sources/" + SOURCE + "/servers/" + s.getId() + "/leave-domain-on-reclaim")
                .then().statusCode(204);
        os.compute().servers().delete(s.getId());
        await().pollInSameThread().atMost(Duration.ofSeconds(10)).until(() -> os.compute().servers().get(s.getId()) == null);
        List<Map<String, Object>> leftovers = SimulatorControl.truth(SOURCE).jsonPath().getList("leftoverDomains");
        assertThat(leftovers).hasSize(1);
        assertThat(leftovers.get(0)).containsEntry("serverId", s.getId()).containsEntry("host", s.getHost())
                .containsEntry("instanceName", s.getInstanceName());
    }

    @Test
    void settingsAnswerWithEveryTimingAsSet() {
        String before = given().contentType(ContentType.JSON).body(Map.of())
                .put("/sim/v1/sources/" + SOURCE + "/settings").then().statusCode(200).extract().asString();
        given().contentType(ContentType.JSON).body(Map.of("evacuationDuration", "PT7S"))
                .put("/sim/v1/sources/" + SOURCE + "/settings").then().statusCode(200)
                .body("evacuationDuration", equalTo("PT7S"))                       // in the unit it was given
                .body("evacuationDuration", org.hamcrest.Matchers.not(equalTo(
                        io.restassured.path.json.JsonPath.from(before).get("evacuationDuration"))));
        Object original = io.restassured.path.json.JsonPath.from(before).get("evacuationDuration");
        given().contentType(ContentType.JSON).body(Map.of("evacuationDuration", original))   // as it was answered
                .put("/sim/v1/sources/" + SOURCE + "/settings").then().statusCode(200)
                .body("evacuationDuration", equalTo(io.restassured.path.json.JsonPath.from(before)
                        .get("evacuationDuration")));
    }

    @Test
    void tokensAreCheckedAndUnknownMicroversionsRefused() {
        given().header("X-Auth-Token", "forged").get(nova() + "/servers/detail").then().statusCode(401);
        given().header("X-Auth-Token", os.getToken().getId()).header("OpenStack-API-Version", "compute 2.999")
                .get(nova() + "/servers/detail").then().statusCode(406);
        assertThatThrownBy(() -> OSFactory.builderV3()
                .endpoint(base.toString().replaceAll("/$", "") + "/openstack/" + SOURCE + "/identity/v3")
                .credentials("admin", "wrong", Identifier.byName("Default"))
                .scopeToProject(Identifier.byName("admin"), Identifier.byName("Default")).authenticate())
                .isInstanceOf(org.openstack4j.api.exceptions.AuthenticationException.class);
        Set<String> hosts = os.compute().hypervisors().list().stream().map(h -> h.getHypervisorHostname())
                .collect(Collectors.toSet());
        assertThat(hosts).hasSize(5).contains("cmp1-a01.region1.example");
    }
}
