package io.lifeboat.collector;

import io.lifeboat.common.envelope.CloudEventsKafka;
import io.lifeboat.common.inventory.DiskStorageType;
import io.lifeboat.common.inventory.VmState;
import io.lifeboat.common.topic.Topic;
import io.lifeboat.testsupport.KafkaTestClient;
import io.lifeboat.testsupport.LifeboatInfra;
import io.lifeboat.testsupport.SimulatorProcess;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The fast-signal path keeps the full cycle's rule: a server whose new volume Cinder will not describe is not
 * published (its disk would go out without its LUN, and the mapping-service would close that LUN's history); once
 * Cinder answers, the server goes out with the LUN. Every record of the server on the topic is checked, not only the
 * last one.
 */
@QuarkusTest
@QuarkusTestResource(LifeboatInfra.class)
@QuarkusTestResource(SimulatedSources.class)
class FastSignalVolumeTest {

    private static final String SOURCE = "openstack-1";
    private static KafkaTestClient kafka;

    @BeforeAll
    static void connect() {
        kafka = new KafkaTestClient();
    }

    @AfterAll
    static void disconnect() {
        given().delete(sim() + "/sim/v1/faults").then().statusCode(204);
        kafka.close();
    }

    private static String sim() {
        return SimulatorProcess.get().url();
    }

    private static long volumeReads() {
        Map<String, Object> calls = given().get(sim() + "/sim/v1/calls").then().statusCode(200).extract().jsonPath()
                .getMap("");
        Object n = calls.get(SOURCE + " cinder.volume");
        return n == null ? 0 : ((Number) n).longValue();
    }

    private static List<VmState> recordsOf(String serverId) {
        List<VmState> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : kafka.readToEnd(Topic.INVENTORY_VMS.topicName())) {
            if (r.key().equals(SOURCE + "/" + serverId) && r.value() != null) {
                out.add(CloudEventsKafka.decode(r.headers(), r.value()).dataAs(VmState.class));
            }
        }
        return out;
    }

    private static void refreshUntilComplete() {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).until(() ->
                given().auth().preemptive().basic("operator", "operator").queryParam("wait", true)
                        .post("/api/v1/sources/" + SOURCE + "/refresh").then().statusCode(200).extract()
                        .jsonPath().getString("outcome").equals("COMPLETE"));
    }

    @Test
    void aServerWhoseNewVolumeCannotBeReadIsHeldBackUntilItCanBe() {
        // a server the collector knows, with one volume
        Map<String, Object> booted = given().contentType(ContentType.JSON).body(Map.of("name", "gets-a-volume",
                        "flavor", "m1.small", "host", "cmp1-a01", "volumes", 1))
                .post(sim() + "/sim/v1/sources/" + SOURCE + "/servers").then().statusCode(200).extract()
                .jsonPath().getMap("");
        String serverId = (String) booted.get("id");
        refreshUntilComplete();
        await().atMost(Duration.ofSeconds(30)).until(() -> !recordsOf(serverId).isEmpty());
        int knownRecords = recordsOf(serverId).size();
        assertThat(recordsOf(serverId).get(knownRecords - 1).disks()).filteredOn(d -> d.lun() != null).hasSize(1);

        // a second volume is attached while Cinder will not describe it: the server shows in changes-since
        given().contentType(ContentType.JSON).body(List.of(Map.of("api", "cinder", "source", SOURCE,
                        "operation", "cinder.volume", "rate", 1.0, "status", 503)))
                .put(sim() + "/sim/v1/faults/errors").then().statusCode(200);
        long readsBefore = volumeReads();
        Map<String, Object> attached = given().post(sim() + "/sim/v1/sources/" + SOURCE + "/servers/" + serverId
                + "/volumes").then().statusCode(200).extract().jsonPath().getMap("");
        String volumeId = (String) attached.get("id");
        String wwid = "3" + ((String) attached.get("volumeWwn")).toLowerCase();
        // the signal path tried to read the new volume at two polls (each call and its one retry: two reads)
        await().atMost(Duration.ofSeconds(30)).until(() -> volumeReads() >= readsBefore + 4);
        assertThat(recordsOf(serverId)).as("no state of the server with a disk that has lost its LUN")
                .allSatisfy(s -> assertThat(s.disks()).filteredOn(d -> d.storageType() == DiskStorageType.VOLUME)
                        .allSatisfy(d -> assertThat(d.lun()).isNotNull()));

        given().delete(sim() + "/sim/v1/faults").then().statusCode(204);
        // the signal path, or at the latest the next full cycle, publishes it with both LUNs
        refreshUntilComplete();
        await().atMost(Duration.ofSeconds(30)).until(() -> recordsOf(serverId).stream()
                .anyMatch(s -> s.disks().stream().anyMatch(d -> volumeId.equals(d.id()))));
        List<VmState> records = recordsOf(serverId);
        assertThat(records).allSatisfy(s -> assertThat(s.disks())
                .filteredOn(d -> d.storageType() == DiskStorageType.VOLUME)
                .allSatisfy(d -> assertThat(d.lun()).isNotNull()));
        assertThat(records.get(records.size() - 1).disks()).filteredOn(d -> d.lun() != null)
                .extracting(d -> d.lun().wwid().multipathWwid()).hasSize(2).contains(wwid);
    }
}
