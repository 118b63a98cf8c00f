package io.lifeboat.simulator;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ovirt.engine.sdk4.Connection;
import org.ovirt.engine.sdk4.ConnectionBuilder;
import org.ovirt.engine.sdk4.Error;
import org.ovirt.engine.sdk4.services.SystemService;
import org.ovirt.engine.sdk4.types.Disk;
import org.ovirt.engine.sdk4.types.DiskAttachment;
import org.ovirt.engine.sdk4.types.DiskStorageType;
import org.ovirt.engine.sdk4.types.Event;
import org.ovirt.engine.sdk4.types.Host;
import org.ovirt.engine.sdk4.types.HostStatus;
import org.ovirt.engine.sdk4.types.IpVersion;
import org.ovirt.engine.sdk4.types.LogicalUnit;
import org.ovirt.engine.sdk4.types.StorageDomain;
import org.ovirt.engine.sdk4.types.Vm;
import org.ovirt.engine.sdk4.types.VmAffinity;
import org.ovirt.engine.sdk4.types.VmStatus;

import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ovirt.engine.sdk4.builders.Builders.host;
import static org.ovirt.engine.sdk4.builders.Builders.vm;
import static org.ovirt.engine.sdk4.builders.Builders.vmPlacementPolicy;

/** The oVirt engine emulation, driven only through the real Java SDK (4.4.5) and the control API. */
@QuarkusTest
class OvirtApiThroughSdkTest {

    private static final String SOURCE = "ovirt-1";

    @TestHTTPResource("/")
    URL base;

    private Connection connection;
    private SystemService api;

    @BeforeEach
    void connect() {
        SimulatorControl.reseed(42);
        connection = connect("lifeboat");
        api = connection.systemService();
    }

    @AfterEach
    void close() throws Exception {
        connection.close();
    }

    private Connection connect(String password) {
        return ConnectionBuilder.connection()
                .url(base.toString().replaceAll("/$", "") + "/ovirt/" + SOURCE + "/ovirt-engine/api")
                .user("admin@internal").password(password).timeout(10).build();
    }

    @Test
    void listingWithFollowInlinesDirectLunsAndGuestIps() {
        List<Vm> vms = api.vmsService().list().follow("disk_attachments.disk,nics,reported_devices").send().vms();
        assertThat(vms).hasSize(50);

        Vm withLun = vms.stream().filter(v -> v.status() == VmStatus.UP)
                .filter(v -> v.diskAttachments().stream().anyMatch(a -> a.disk().storageType() == DiskStorageType.LUN))
                .findFirst().orElseThrow();
        DiskAttachment lunAttachment = withLun.diskAttachments().stream()
                .filter(a -> a.disk().storageType() == DiskStorageType.LUN).findFirst().orElseThrow();
        LogicalUnit lu = lunAttachment.disk().lunStorage().logicalUnits().get(0);
        assertThat(lu.id()).matches("3600507680c8081b2e8[0-9a-f]{14}");
        assertThat(lu.vendorId()).isEqualTo("IBM");
        assertThat(lu.productId()).isEqualTo("2145");
        assertThat(lu.serial()).startsWith("SIBM_2145_");
        assertThat(lu.sizeAsLong()).isPositive();
        assertThat(lunAttachment.interface_().value()).isEqualTo("virtio_scsi");

        // Compare with the ground truth: the same LUNs as the simulator holds for that VM.
        List<String> truthLuns = SimulatorControl.truth(SOURCE).jsonPath()
                .getList("vms.find { it.id == '" + withLun.id() + "' }.lunWwids");
        assertThat(withLun.diskAttachments().stream().map(DiskAttachment::disk)
                .filter(d -> d.storageType() == DiskStorageType.LUN)
                .map(d -> d.lunStorage().logicalUnits().get(0).id()).toList())
                .containsExactlyInAnyOrderElementsOf(truthLuns);

        assertThat(withLun.reportedDevices()).hasSize(1);
        assertThat(withLun.reportedDevices().get(0).ips()).extracting(ip -> ip.version())
                .containsExactly(IpVersion.V4, IpVersion.V6);
        assertThat(withLun.reportedDevices().get(0).ips().get(0).address()).startsWith("10.1.");
        assertThat(withLun.nics().get(0).mac().address()).startsWith("56:6f:");
        assertThat(withLun.memoryAsLong()).isGreaterThanOrEqualTo(2L << 30);
        assertThat(withLun.cpu().topology().socketsAsInteger() * withLun.cpu().topology().coresAsInteger())
                .isPositive();
        assertThat(withLun.host().id()).isNotNull();
        assertThat(withLun.cluster().id()).isNotNull();
        assertThat(withLun.storageErrorResumeBehaviour()).isNotNull();

        assertThat(vms).anySatisfy(v -> assertThat(v.highAvailability().enabled()).isTrue());
        assertThat(vms).anySatisfy(v -> {
            assertThat(v.placementPolicy().affinity()).isEqualTo(VmAffinity.PINNED);
            assertThat(v.placementPolicy().hosts()).hasSize(1);
        });
        // A DOWN VM that is not pinned shows no host; a pinned one keeps it.
        assertThat(vms).filteredOn(v -> v.status() == VmStatus.DOWN).isNotEmpty().allSatisfy(v -> {
            if (v.placementPolicy().affinity() == VmAffinity.PINNED) {
                assertThat(v.host()).isNotNull();
            } else {
                assertThat(v.host()).isNull();
            }
            assertThat(v.reportedDevices()).isEmpty();   // no guest agent while down
        });
    }

    @Test
    void withoutFollowOnlyLinksAreReturned() {
        Vm vm = api.vmsService().list().max(1).send().vms().get(0);
        assertThat(vm.diskAttachments()).isEmpty();
        List<DiskAttachment> attachments = connection.followLink(vm.diskAttachments());
        assertThat(attachments).hasSize(3);
        assertThat(attachments.get(0).disk().id()).isNotNull();
        Disk disk = api.disksService().diskService(attachments.get(0).disk().id()).get().send().disk();
        assertThat(disk.alias()).endsWith("-boot");
    }

    @Test
    void searchByHostStatusAndNameWithPaging() {
        Host host = api.hostsService().list().send().hosts().get(0);
        List<Vm> onHost = api.vmsService().list().search("host=" + host.name()).send().vms();
        Set<String> truthOnHost = SimulatorControl.truth(SOURCE).jsonPath()
                .<Map<String, Object>>getList("vms").stream()
                .filter(v -> host.id().equals(v.get("engineHostId")))
                .map(v -> (String) v.get("id")).collect(Collectors.toSet());
        assertThat(onHost).extracting(Vm::id).containsExactlyInAnyOrderElementsOf(truthOnHost);

        List<Vm> down = api.vmsService().list().search("status=down").send().vms();
        assertThat(down).isNotEmpty().allSatisfy(v -> assertThat(v.status()).isEqualTo(VmStatus.DOWN));
        List<Vm> upOnHost = api.vmsService().list().search("host=" + host.name() + " and status=up").send().vms();
        assertThat(upOnHost).allSatisfy(v -> assertThat(v.status()).isEqualTo(VmStatus.UP));

        assertThat(api.vmsService().list().search("name=vm1-0000*").send().vms())
                .extracting(Vm::name).containsExactlyInAnyOrder("vm1-00001", "vm1-00002", "vm1-00003", "vm1-00004",
                        "vm1-00005", "vm1-00006", "vm1-00007", "vm1-00008", "vm1-00009");

        List<Vm> page1 = api.vmsService().list().max(20).send().vms();
        List<Vm> page3 = api.vmsService().list().search("page 3").max(20).send().vms();
        assertThat(page1).hasSize(20);
        assertThat(page3).hasSize(10);
        assertThat(page1).extracting(Vm::id).doesNotContainAnyElementsOf(page3.stream().map(Vm::id).toList());

        assertThatThrownBy(() -> api.vmsService().list().search("colour=blue").send())
                .isInstanceOf(Error.class).hasMessageContaining("unknown field 'colour'")
                .hasMessageContaining("HTTP response code is \"400\"");
    }

    @Test
    void hostsClustersDataCentersAndBlockStorageDomains() {
        assertThat(api.hostsService().list().send().hosts()).hasSize(5)
                .allSatisfy(h -> assertThat(h.status()).isEqualTo(HostStatus.UP));
        assertThat(api.clustersService().list().send().clusters()).hasSize(1);
        assertThat(api.dataCentersService().list().send().dataCenters()).hasSize(1);
        List<StorageDomain> domains = api.storageDomainsService().list().send().storageDomains();
        StorageDomain fc = domains.stream().filter(d -> d.storage().type().value().equals("fcp")).findFirst()
                .orElseThrow();
        assertThat(fc.storage().volumeGroup().logicalUnits()).hasSize(2)
                .allSatisfy(lu -> assertThat(lu.id()).startsWith("3600507680c8081b2e8"));
        assertThat(SimulatorControl.truth(SOURCE).jsonPath().<String>getList("blockStorageDomains[0].lunWwids"))
                .containsExactlyElementsOf(fc.storage().volumeGroup().logicalUnits().stream().map(LogicalUnit::id)
                        .toList());
    }

    @Test
    void powerLossThenManualFenceRestartsHaVmsElsewhereAndLeavesOthersDown() {
        Host failed = api.hostsService().list().send().hosts().get(0);
        List<Vm> before = api.vmsService().list().search("host=" + failed.name() + " and status=up").send().vms();
        assertThat(before).isNotEmpty();
        long cursor = api.eventsService().list().max(1).send().events().stream().findFirst()
                .map(e -> e.indexAsLong()).orElse(0L);

        SimulatorControl.fail(SOURCE, failed.name(), "POWER_LOSS");

        assertThat(api.hostsService().hostService(failed.id()).get().send().host().status())
                .isEqualTo(HostStatus.NON_RESPONSIVE);
        List<Event> events = api.eventsService().list().from(cursor).max(100).send().events();
        // Newest first, as the real feed.
        assertThat(events).extracting(Event::indexAsLong).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        // Connecting (9008 with power management, 9027 without), then non-responsive (12): this engine has no
        // Connecting grace and does not fence by itself (EngineFencingTest has the engine that does).
        int connecting = failed.powerManagement() != null && Boolean.TRUE.equals(failed.powerManagement().enabled())
                ? 9008 : 9027;
        assertThat(events).anySatisfy(e -> {
            assertThat(e.codeAsInteger()).isEqualTo(connecting);
            assertThat(e.host().id()).isEqualTo(failed.id());
        });
        assertThat(events).anySatisfy(e -> {
            assertThat(e.codeAsInteger()).isEqualTo(12);
            assertThat(e.host().id()).isEqualTo(failed.id());
        });
        assertThat(events).noneSatisfy(e -> assertThat(e.codeAsInteger()).isEqualTo(121));
        assertThat(events.stream().filter(e -> e.codeAsInteger() == 142).count()).isEqualTo(before.size());
        for (Vm vm : before) {
            assertThat(api.vmsService().vmService(vm.id()).get().send().vm().status()).isEqualTo(VmStatus.UNKNOWN);
        }

        api.hostsService().hostService(failed.id()).fence().fenceType("manual").send();

        for (Vm vm : before) {
            Vm after = api.vmsService().vmService(vm.id()).get().send().vm();
            if (vm.highAvailability().enabled()) {
                assertThat(after.status()).as("HA VM %s restarted by the engine", vm.name()).isEqualTo(VmStatus.UP);
                assertThat(after.host().id()).isNotEqualTo(failed.id());
            } else {
                assertThat(after.status()).isEqualTo(VmStatus.DOWN);
                if (vm.placementPolicy().affinity() == VmAffinity.PINNED) {
                    assertThat(after.host().id()).isEqualTo(failed.id());
                } else {
                    assertThat(after.host()).as("non-pinned DOWN VM %s shows no host", vm.name()).isNull();
                }
            }
        }
        List<Event> afterFence = api.eventsService().list().from(cursor).max(1000).send().events();
        assertThat(afterFence.stream().filter(e -> e.codeAsInteger() == 143).count()).isEqualTo(before.size());
    }

    @Test
    void withTheEnginesHaRestartOffHaVmsStayDownAfterFencing() {
        io.restassured.RestAssured.given().contentType(io.restassured.http.ContentType.JSON)
                .body(Map.of("haRestart", false)).put("/sim/v1/sources/" + SOURCE + "/settings")
                .then().statusCode(200);
        Host failed = api.hostsService().list().send().hosts().get(2);
        List<Vm> ha = api.vmsService().list().search("host=" + failed.name() + " and status=up").send().vms()
                .stream().filter(v -> v.highAvailability().enabled()).toList();
        assertThat(ha).isNotEmpty();
        SimulatorControl.fail(SOURCE, failed.name(), "POWER_LOSS");
        api.hostsService().hostService(failed.id()).fence().fenceType("manual").send();
        for (Vm vm : ha) {
            assertThat(api.vmsService().vmService(vm.id()).get().send().vm().status()).isEqualTo(VmStatus.DOWN);
        }
    }

    @Test
    void storageLossPausesVmsWithEioAndRecoveryResumesAutoResumeOnes() {
        Host host = api.hostsService().list().send().hosts().get(1);
        List<Vm> running = api.vmsService().list().search("host=" + host.name() + " and status=up").send().vms();
        SimulatorControl.fail(SOURCE, host.name(), "STORAGE_LOSS");

        assertThat(api.hostsService().hostService(host.id()).get().send().host().status()).isEqualTo(HostStatus.UP);
        for (Vm vm : running) {
            Vm paused = api.vmsService().vmService(vm.id()).get().send().vm();
            assertThat(paused.status()).isEqualTo(VmStatus.PAUSED);
            assertThat(paused.statusDetail()).isEqualTo("eio");
        }
        assertThat(api.eventsService().list().max(200).send().events())
                .filteredOn(e -> e.codeAsInteger() == 145).hasSize(running.size());

        SimulatorControl.recover(SOURCE, host.name());
        for (Vm vm : running) {
            Vm now = api.vmsService().vmService(vm.id()).get().send().vm();
            boolean autoResume = "auto_resume".equals(vm.storageErrorResumeBehaviour().value());
            assertThat(now.status()).isEqualTo(autoResume ? VmStatus.UP : VmStatus.PAUSED);
        }
    }

    @Test
    void startOnAHostMigrateStopAndTheirRefusals() {
        List<Host> hosts = api.hostsService().list().send().hosts();
        Vm down = api.vmsService().list().search("status=down").send().vms().stream()
                .filter(v -> v.placementPolicy().affinity() != VmAffinity.PINNED).findFirst().orElseThrow();
        Host target = hosts.get(3);

        api.vmsService().vmService(down.id()).start()
                .vm(vm().placementPolicy(vmPlacementPolicy().hosts(host().id(target.id())))).send();
        Vm started = api.vmsService().vmService(down.id()).get().send().vm();
        assertThat(started.status()).isEqualTo(VmStatus.UP);
        assertThat(started.host().id()).isEqualTo(target.id());

        assertThatThrownBy(() -> api.vmsService().vmService(down.id()).start().send())
                .isInstanceOf(Error.class).hasMessageContaining("Cannot run VM. VM is running.");

        Host other = hosts.get(4);
        if (started.placementPolicy().affinity() == VmAffinity.MIGRATABLE) {
            api.vmsService().vmService(down.id()).migrate().host(host().id(other.id())).send();
            assertThat(api.vmsService().vmService(down.id()).get().send().vm().host().id()).isEqualTo(other.id());
        }
        api.vmsService().vmService(down.id()).stop().send();
        assertThat(api.vmsService().vmService(down.id()).get().send().vm().status()).isEqualTo(VmStatus.DOWN);

        Vm pinned = api.vmsService().list().send().vms().stream()
                .filter(v -> v.placementPolicy().affinity() == VmAffinity.PINNED && v.status() == VmStatus.UP)
                .findFirst().orElseThrow();
        assertThatThrownBy(() -> api.vmsService().vmService(pinned.id()).migrate().send())
                .isInstanceOf(Error.class).hasMessageContaining("is non-migratable");
    }

    /**
     * The engine's rules for each fence type (ovirt-engine StopVdsCommand, RestartVdsCommand): stop only for a host in
     * Maintenance, refused otherwise with the engine's message; restart (no status rule) powers the host off, releases
     * its VMs and boots it; status reads the power.
     */
    @Test
    void fenceStatusReportsThePowerStateStopNeedsMaintenanceAndRestartReboots() {
        Host host = api.hostsService().list().send().hosts().stream()
                .filter(h -> h.powerManagement().enabled() && h.status() == HostStatus.UP).findFirst().orElseThrow();
        assertThat(api.hostsService().hostService(host.id()).fence().fenceType("status").send().powerManagement()
                .status().value()).isEqualTo("on");
        assertThatThrownBy(() -> api.hostsService().hostService(host.id()).fence().fenceType("stop").send())
                .isInstanceOf(Error.class).hasMessageContaining("409").hasMessageContaining(
                        "Cannot perform Stop operation, Host has to be in Maintenance mode in order to be stopped.");
        assertThat(api.hostsService().hostService(host.id()).get().send().host().status()).isEqualTo(HostStatus.UP);
        java.util.Set<String> wereUp = api.vmsService().list().send().vms().stream().filter(v -> v.host() != null
                && host.id().equals(v.host().id()) && v.status() == VmStatus.UP).map(Vm::id)
                .collect(java.util.stream.Collectors.toSet());
        assertThat(wereUp).isNotEmpty();
        api.hostsService().hostService(host.id()).fence().fenceType("restart").send();
        assertThat(api.hostsService().hostService(host.id()).get().send().host().status())
                .isEqualTo(HostStatus.REBOOT);
        // Every VM that ran there is down, or (an HA VM) restarted on another host.
        assertThat(api.vmsService().list().send().vms().stream().filter(v -> wereUp.contains(v.id())))
                .hasSize(wereUp.size()).allMatch(v -> v.status() == VmStatus.DOWN
                        || (v.host() != null && !host.id().equals(v.host().id())));
        assertThatThrownBy(() -> api.hostsService().hostService(host.id()).fence().fenceType("explode").send())
                .isInstanceOf(Error.class).hasMessageContaining("Fence type 'explode' is not valid");
        given().post("/sim/v1/sources/ovirt-1/hosts/" + host.id() + "/recover").then().statusCode(200);
    }

    /** A host whose BMC lost power with it (a total power loss): the engine's fence agent cannot answer either. */
    @Test
    void aHostWhoseBmcLostPowerCannotBeFencedByTheEngine() {
        Host host = api.hostsService().list().send().hosts().stream()
                .filter(h -> h.powerManagement().enabled()).findFirst().orElseThrow();
        given().contentType(io.restassured.http.ContentType.JSON).body(java.util.Map.of("mode", "TOTAL_POWER_LOSS"))
                .post("/sim/v1/sources/ovirt-1/hosts/" + host.id() + "/fail").then().statusCode(200);
        assertThatThrownBy(() -> api.hostsService().hostService(host.id()).fence().fenceType("restart").send())
                .isInstanceOf(Error.class).hasMessageContaining("Cannot restart Host. Fence operation failed.");
        given().post("/sim/v1/sources/ovirt-1/hosts/" + host.id() + "/recover").then().statusCode(200);
        assertThat(api.hostsService().hostService(host.id()).fence().fenceType("status").send().powerManagement()
                .status().value()).isEqualTo("on");
    }

    @Test
    void unknownIdsAndBadCredentialsAreFaults() {
        assertThatThrownBy(() -> api.vmsService().vmService("no-such-vm").get().send())
                .isInstanceOf(Error.class).hasMessageContaining("HTTP response code is \"404\"");
        try (Connection bad = connect("wrong")) {
            assertThatThrownBy(() -> bad.systemService().get().send())
                    .isInstanceOf(Error.class).hasStackTraceContaining("access_denied");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThat(SimulatorControl.calls(SOURCE + " ovirt.vm")).isEqualTo(1);
    }
}
