package io.lifeboat.mapping;

import io.lifeboat.common.envelope.EventEnvelope;
import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.id.SourceId;
import io.lifeboat.common.id.SourceKind;
import io.lifeboat.common.id.VmKey;
import io.lifeboat.common.inventory.ClusterRef;
import io.lifeboat.common.inventory.CpuTopology;
import io.lifeboat.common.inventory.Deletion;
import io.lifeboat.common.inventory.DiskStorageType;
import io.lifeboat.common.inventory.HighAvailability;
import io.lifeboat.common.inventory.HostRef;
import io.lifeboat.common.inventory.LunInfo;
import io.lifeboat.common.inventory.VmDisk;
import io.lifeboat.common.inventory.VmState;
import io.lifeboat.common.inventory.VmStatus;
import io.lifeboat.common.topic.Topic;
import io.lifeboat.mapping.lineage.VmDiskInterval;
import io.lifeboat.testsupport.KafkaTestClient;
import io.lifeboat.testsupport.LifeboatInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

/** VM history from the VM topic: moves, disk changes, removal by tombstone and return, the DLQ. */
@QuarkusTest
@QuarkusTestResource(LifeboatInfra.class)
class VmHistoryFlowTest {

    private static final URI SOURCE = URI.create("/lifeboat/collector/test");
    private static final Instant T = Instant.parse("2024-06-01T08:00:00Z");
    private static final SourceId SRC = SourceId.of("ovirt-vmflow");
    private static KafkaTestClient kafka;

    @BeforeAll
    static void connect() {
        kafka = new KafkaTestClient();
        RestAssured.authentication = RestAssured.preemptive().basic("viewer", "viewer");
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
        RestAssured.reset();
    }

    private static VmState vm(VmKey key, String host, VmStatus status, String lun, Instant at) {
        List<VmDisk> disks = List.of(new VmDisk("d-" + key.vmId(), "data", 1L << 30, "virtio_scsi",
                DiskStorageType.LUN, null, false, LunInfo.of(lun, "IBM", "2145", "S1", 1L << 30)));
        return new VmState(key, SourceKind.OVIRT, "vm-" + key.vmId().substring(0, 8), new ClusterRef("c1", "prod"),
                new HostRef(HostKey.of(SRC, host), host), status, status == VmStatus.RUNNING ? "up" : "down", null,
                List.of("10.9.9.9"), 4L << 30, new CpuTopology(2, 1, 1), disks, HighAvailability.NONE, null, null,
                null, Deletion.NONE, Map.of(), List.of(), null, at);
    }

    @Test
    void movesDiskChangesRemovalAndReturnBecomeIntervals() {
        VmKey key = VmKey.of(SRC, UUID.randomUUID().toString());
        String lun1 = "3600507680c8081b2e8aa000000000001";
        String lun2 = "600507680C8081B2E8AA000000000002";   // SVC form: the same canonical WWID afterwards
        kafka.publish(EventEnvelope.create(SOURCE, vm(key, "h1", VmStatus.RUNNING, lun1, T)));
        kafka.publish(EventEnvelope.create(SOURCE, vm(key, "h1", VmStatus.RUNNING, lun1, T.plusSeconds(60))));
        kafka.publish(EventEnvelope.create(SOURCE, vm(key, "h2", VmStatus.RUNNING, lun2, T.plusSeconds(120))));
        // removed: a tombstone on the VM's key, timestamped T+180 s
        kafka.send(new ProducerRecord<String, byte[]>(Topic.INVENTORY_VMS.topicName(), null,
                T.plusSeconds(180).toEpochMilli(), key.toString(), (byte[]) null));
        // and back
        kafka.publish(EventEnvelope.create(SOURCE, vm(key, "h3", VmStatus.DOWN, lun2, T.plusSeconds(240))));

        String lineage = "/api/v1/vms/" + key.source() + "/" + key.vmId() + "/lineage";
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get(lineage).then().statusCode(200)
                .body("placements", hasSize(3)));
        given().get(lineage).then()
                .body("placements[0].hostName", equalTo("h3"))
                .body("placements[0].status", equalTo("DOWN"))
                .body("placements[0].until", nullValue())
                .body("placements[1].hostName", equalTo("h2"))
                .body("placements[1].since", equalTo("2024-06-01T08:02:00Z"))
                .body("placements[1].until", equalTo("2024-06-01T08:03:00Z"))
                .body("placements[2].hostName", equalTo("h1"))
                .body("placements[2].until", equalTo("2024-06-01T08:02:00Z"))
                .body("placements[2].lastSeenAt", equalTo("2024-06-01T08:01:00Z"))
                .body("disks[0].lunWwid", equalTo("3600507680c8081b2e8aa000000000002"))
                .body("disks[0].until", nullValue());
        // The LUN's history answers in any spelling and knows both stays.
        given().get("/api/v1/luns/naa.600507680c8081b2e8aa000000000002/history").then().statusCode(200)
                .body("hostName", org.hamcrest.Matchers.contains("h3", "h2"));
        // As of 08:01 the VM was on h1, with the first LUN.
        given().queryParam("asOf", "2024-06-01T08:01:00Z").get("/api/v1/hosts/ovirt-vmflow/h1/vms").then()
                .statusCode(200).body("vmKey", org.hamcrest.Matchers.contains(key.toString()));
        given().queryParam("asOf", "2024-06-01T08:03:30Z").get("/api/v1/hosts/ovirt-vmflow/h2/vms").then()
                .statusCode(200).body("$", hasSize(0));
        // A disk interval is not rewritten while it stays open; when it closes, it was last seen at its VM's last
        // observation before: LUN 1 at 08:01 (not at 08:00, when it opened), LUN 2 at 08:02, before the tombstone.
        List<VmDiskInterval> disks = VmDiskInterval.list("vmKey = ?1 order by validFrom", key.toString());
        assertThat(disks).extracting(d -> d.validFrom + " " + d.validTo + " " + d.lastSeenAt).containsExactly(
                "2024-06-01T08:00:00Z 2024-06-01T08:02:00Z 2024-06-01T08:01:00Z",
                "2024-06-01T08:02:00Z 2024-06-01T08:03:00Z 2024-06-01T08:02:00Z",
                "2024-06-01T08:04:00Z null 2024-06-01T08:04:00Z");
    }

    @Test
    void lunsBackingAStorageDomainOrWithoutAWwidAreKeptWithTheirReason() {
        HostKey host = HostKey.of(SRC, "h-" + UUID.randomUUID().toString().substring(0, 8));
        VmKey key = VmKey.of(SRC, UUID.randomUUID().toString());
        String domainLun = "3600507680c8081b2e8bb000000000001";
        String plainLun = "3600507680c8081b2e8bb000000000002";
        kafka.publish(EventEnvelope.create(SOURCE, new io.lifeboat.common.inventory.StorageDomainState(
                io.lifeboat.common.id.StorageDomainKey.of(SRC, "sd-" + key.vmId().substring(0, 8)), "fc-data-x",
                "data", "fcp", "dc1", List.of(io.lifeboat.common.lun.LunWwid.parse(domainLun)), T)));
        List<VmDisk> disks = List.of(
                new VmDisk("d1", "on-domain-lun", 1L << 30, "virtio_scsi", DiskStorageType.LUN, null, false,
                        LunInfo.of(domainLun, "IBM", "2145", "S1", 1L << 30)),
                new VmDisk("d2", "garbled", 1L << 30, "virtio_scsi", DiskStorageType.LUN, null, false,
                        LunInfo.of("lun-17-on-array-b", "X", "Y", "S2", 1L << 30)),
                new VmDisk("d3", "plain", 1L << 30, "virtio_scsi", DiskStorageType.LUN, null, false,
                        LunInfo.of(plainLun, "IBM", "2145", "S3", 1L << 30)));
        VmState base = vm(key, host.hostId(), VmStatus.DOWN, plainLun, T);
        kafka.publish(EventEnvelope.create(SOURCE, new VmState(key, base.platform(), base.name(), base.cluster(),
                base.host(), VmStatus.DOWN, "down", null, base.ipAddresses(), base.memoryBytes(), base.cpu(), disks,
                base.ha(), null, null, null, Deletion.NONE, Map.of(), List.of(), null, T)));
        String plan = "/api/v1/hosts/" + host.source() + "/" + host.hostId() + "/unmap-plan";
        // The storage domain and the VM come on different topics: wait until both have been stored.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            io.restassured.path.json.JsonPath p = given().queryParam("asOf", "2024-06-01T09:00:00Z").get(plan)
                    .then().statusCode(200).body("entries", hasSize(3)).extract().jsonPath();
            assertThat(p.getString("entries.find { it.diskId == 'd1' }.keepReason"))
                    .isEqualTo("BACKS_STORAGE_DOMAIN");
            assertThat(p.getString("entries.find { it.diskId == 'd1' }.detail")).contains("fc-data-x");
            assertThat(p.getString("entries.find { it.diskId == 'd2' }.keepReason")).isEqualTo("UNKNOWN_WWID");
            assertThat(p.getString("entries.find { it.diskId == 'd2' }.lunId")).isEqualTo("lun-17-on-array-b");
            assertThat(p.getString("entries.find { it.diskId == 'd3' }.decision")).isEqualTo("UNMAP");
        });
        String script = given().queryParam("asOf", "2024-06-01T09:00:00Z").queryParam("format", "svc").get(plan)
                .then().statusCode(200).extract().asString();
        assertThat(script.lines().filter(l -> l.startsWith("rmvdiskhostmap")).toList())
                .containsExactly("rmvdiskhostmap -host " + host.hostId() + " 600507680C8081B2E8BB000000000002");
        assertThat(script).contains("# KEEP 600507680C8081B2E8BB000000000001  BACKS_STORAGE_DOMAIN")
                .contains("# KEEP lun-17-on-array-b  UNKNOWN_WWID");
        given().queryParam("format", "pdf").get(plan).then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void aMalformedVmRecordGoesToTheVmDlq() {
        String key = SRC + "/bad-" + UUID.randomUUID();
        kafka.send(new ProducerRecord<>(Topic.INVENTORY_VMS.topicName(), null, key,
                "{\"not\":\"an event\"}".getBytes(StandardCharsets.UTF_8), new RecordHeaders()));
        List<ConsumerRecord<String, byte[]>> dead = kafka.read(Topic.INVENTORY_VMS.dlqName(), 1,
                Duration.ofSeconds(30), r -> key.equals(r.key()));
        assertThat(dead).hasSize(1);
        assertThat(new String(dead.get(0).headers().lastHeader("dead-letter-reason").value()))
                .contains("missing CloudEvents header 'ce_specversion'");
    }

    /**
     * The inbox: an event id already applied is dropped, even when the record now says something else (a replayed
     * or redelivered record is never applied twice). Without the inbox the second record would move the VM.
     */
    @Test
    void aRedeliveredEventIdChangesNothingAndIsCountedAsADuplicate() {
        VmKey key = VmKey.of(SRC, UUID.randomUUID().toString());
        String id = UUID.randomUUID().toString();
        VmState first = vm(key, "h-inbox", VmStatus.RUNNING, "3600507680c8081b2e8cc000000000001", T);
        kafka.publish(new EventEnvelope<>(id, SOURCE, io.lifeboat.common.event.EventTypes.VM_STATE, T,
                key.toString(), first));
        String lineage = "/api/v1/vms/" + key.source() + "/" + key.vmId() + "/lineage";
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get(lineage).then().statusCode(200)
                .body("placements", hasSize(1)));
        double before = duplicates();
        VmState other = vm(key, "h9", VmStatus.PAUSED, "3600507680c8081b2e8cc000000000002", T.plusSeconds(60));
        kafka.publish(new EventEnvelope<>(id, SOURCE, io.lifeboat.common.event.EventTypes.VM_STATE,
                T.plusSeconds(60), key.toString(), other));
        await().atMost(Duration.ofSeconds(30)).until(() -> duplicates() > before);
        given().get(lineage).then().statusCode(200)
                .body("placements", hasSize(1))
                .body("placements[0].hostName", equalTo("h-inbox"))
                .body("placements[0].status", equalTo("RUNNING"))
                .body("placements[0].lastSeenAt", equalTo("2024-06-01T08:00:00Z"))
                .body("disks", hasSize(1))
                .body("disks[0].lunWwid", equalTo("3600507680c8081b2e8cc000000000001"));
    }

    /**
     * New intervals are written with COPY's text format, where a backslash, tab, newline or carriage return in a value
     * would otherwise split or shift columns: a Nova fault message is a multi-line traceback, and names are free text.
     */
    @Test
    void textThatCopyMustEscapeIsStoredAsItCame() {
        VmKey key = VmKey.of(SRC, UUID.randomUUID().toString());
        String name = "web\\01\tcopy «é» 'q' \\N";
        String detail = "No valid host was found.\nTraceback (most recent call last):\r\n\t  File \"x\\y.py\"\n\\N";
        VmState base = vm(key, "h-copy", VmStatus.ERROR, "3600507680c8081b2e8dd000000000001", T);
        VmState state = new VmState(base.vm(), base.platform(), name, base.cluster(), base.host(), base.status(),
                base.platformStatus(), detail, base.ipAddresses(), base.memoryBytes(), base.cpu(), base.disks(),
                base.ha(), base.placement(), base.storageErrorResume(), base.watchdog(), base.deletion(),
                base.metadata(), base.tags(), base.nova(), base.observedAt());
        kafka.publish(EventEnvelope.create(SOURCE, state));
        String lineage = "/api/v1/vms/" + key.source() + "/" + key.vmId() + "/lineage";
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get(lineage).then().statusCode(200)
                .body("placements", hasSize(1)));
        given().get(lineage).then()
                .body("placements[0].vmName", equalTo(name))
                .body("placements[0].statusDetail", equalTo(detail))
                .body("placements[0].hostName", equalTo("h-copy"))
                .body("placements[0].vcpus", equalTo(2))
                .body("disks[0].lunWwid", equalTo("3600507680c8081b2e8dd000000000001"))
                .body("disks[0].until", nullValue());
    }

    private static double duplicates() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("lifeboat_pipeline_records_total{")
                        && l.contains("channel=\"inventory-vms\"") && l.contains("outcome=\"duplicate\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
