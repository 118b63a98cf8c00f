package io.lifeboat.common;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.common.envelope.CloudEventsKafka;
import io.lifeboat.common.envelope.EventDecodingException;
import io.lifeboat.common.envelope.EventEnvelope;
import io.lifeboat.common.event.EventTypes;
import io.lifeboat.common.inventory.HostState;
import io.lifeboat.common.inventory.VmState;
import io.lifeboat.common.json.Json;
import io.lifeboat.common.topic.Topic;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CloudEventsKafkaTest {

    private static final URI SOURCE = URI.create("/lifeboat/collector/ovirt-dc1");

    @Test
    void everyEventTypeRoundTripsThroughHeadersAndJson() {
        for (Object data : SampleEvents.all()) {
            EventEnvelope<?> sent = EventEnvelope.create(SOURCE, data, SampleEvents.T);
            ProducerRecord<String, byte[]> record = CloudEventsKafka.toRecord(sent);

            EventEnvelope<?> got = CloudEventsKafka.decode(record.headers(), record.value());

            assertThat(got.data()).as(sent.type().type()).isEqualTo(data);
            assertThat(got.id()).isEqualTo(sent.id());
            assertThat(got.type()).isSameAs(sent.type());
            assertThat(got.time()).isEqualTo(SampleEvents.T);
            assertThat(got.source()).isEqualTo(SOURCE);
            assertThat(record.topic()).isEqualTo(sent.type().topic().topicName());
            assertThat(record.key()).isEqualTo(got.subject());
        }
    }

    @Test
    void headersFollowTheKafkaBinaryBinding() {
        EventEnvelope<VmState> e = EventEnvelope.create(SOURCE, SampleEvents.vmState(), SampleEvents.T);
        ProducerRecord<String, byte[]> r = CloudEventsKafka.toRecord(e);
        assertThat(header(r.headers(), "ce_specversion")).isEqualTo("1.0");
        assertThat(header(r.headers(), "ce_type")).isEqualTo("lifeboat.vm.state.v1");
        assertThat(header(r.headers(), "ce_source")).isEqualTo("/lifeboat/collector/ovirt-dc1");
        assertThat(header(r.headers(), "ce_time")).isEqualTo("2024-05-01T10:00:02.481Z");
        assertThat(header(r.headers(), "ce_subject")).isEqualTo("ovirt-dc1/5c1e9a2b-0000-4000-8000-0000000000a0");
        assertThat(header(r.headers(), "content-type")).isEqualTo("application/json");
        assertThat(r.topic()).isEqualTo(Topic.INVENTORY_VMS.topicName());
        assertThat(r.key()).isEqualTo("ovirt-dc1/5c1e9a2b-0000-4000-8000-0000000000a0");
        assertThat(new String(r.value(), StandardCharsets.UTF_8))
                .contains("\"wwid\":\"3600507680c8081b2e800000000000a5f\"")
                .contains("\"observedAt\":\"2024-05-01T10:00:02.481Z\"");
    }

    @Test
    void missingHeaderIsNamed() {
        ProducerRecord<String, byte[]> r = record(SampleEvents.vmState());
        r.headers().remove("ce_type");
        assertThatThrownBy(() -> CloudEventsKafka.decode(r.headers(), r.value()))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageEndingWith(": missing CloudEvents header 'ce_type'");
        ProducerRecord<String, byte[]> r2 = record(SampleEvents.vmState());
        r2.headers().remove("ce_id");
        assertThatThrownBy(() -> CloudEventsKafka.decode(r2.headers(), r2.value()))
                .hasMessage("lifeboat.vm.state.v1 event: missing CloudEvents header 'ce_id'");
    }

    @Test
    void recordWithoutAnyHeadersSaysSo() {
        assertThatThrownBy(() -> CloudEventsKafka.decode(new RecordHeaders(), "{}".getBytes()))
                .hasMessage("record: missing CloudEvents header 'ce_specversion'");
    }

    @Test
    void unknownTypeIsRejectedByName() {
        ProducerRecord<String, byte[]> r = record(SampleEvents.vmState());
        r.headers().remove("ce_type").add("ce_type", "lifeboat.vm.state.v9".getBytes());
        assertThatThrownBy(() -> CloudEventsKafka.decode(r.headers(), r.value()))
                .hasMessageContaining("unknown event type 'lifeboat.vm.state.v9' (known: lifeboat.host.state.v1,");
    }

    @Test
    void missingTopLevelFieldIsNamed() throws Exception {
        ProducerRecord<String, byte[]> r = record(SampleEvents.vmState());
        ObjectNode json = (ObjectNode) Json.mapper().readTree(r.value());
        json.remove("status");
        assertThatThrownBy(() -> CloudEventsKafka.decode(r.headers(), Json.mapper().writeValueAsBytes(json)))
                .hasMessageEndingWith(": missing required field 'status'");
    }

    @Test
    void missingNestedFieldIsNamedWithItsPath() throws Exception {
        ProducerRecord<String, byte[]> r = record(SampleEvents.vmState());
        ObjectNode json = (ObjectNode) Json.mapper().readTree(r.value());
        ((ObjectNode) ((ArrayNode) json.get("disks")).get(0).get("lun")).remove("id");
        assertThatThrownBy(() -> CloudEventsKafka.decode(r.headers(), Json.mapper().writeValueAsBytes(json)))
                .hasMessageEndingWith(": missing required field 'disks[0].lun.id'");
    }

    @Test
    void missingPrimitiveIsNotReadAsZero() throws Exception {
        ProducerRecord<String, byte[]> r = record(SampleEvents.vmState());
        ObjectNode json = (ObjectNode) Json.mapper().readTree(r.value());
        ((ObjectNode) json.get("cpu")).remove("cores");
        assertThatThrownBy(() -> CloudEventsKafka.decode(r.headers(), Json.mapper().writeValueAsBytes(json)))
                .hasMessageContaining("cpu.cores");
    }

    @Test
    void invalidWwidInsideTheDataIsExplained() throws Exception {
        ProducerRecord<String, byte[]> r = record(SampleEvents.vmState());
        ObjectNode json = (ObjectNode) Json.mapper().readTree(r.value());
        ((ObjectNode) ((ArrayNode) json.get("disks")).get(0).get("lun")).put("wwid", "xyz");
        assertThatThrownBy(() -> CloudEventsKafka.decode(r.headers(), Json.mapper().writeValueAsBytes(json)))
                .hasMessageContaining("field 'disks[0].lun.wwid'")
                .hasMessageContaining("invalid LUN WWID 'xyz'");
    }

    @Test
    void invalidEnumValueListsTheAllowedOnes() throws Exception {
        ProducerRecord<String, byte[]> r = record(SampleEvents.vmState());
        ObjectNode json = (ObjectNode) Json.mapper().readTree(r.value());
        json.put("status", "SLEEPING");
        assertThatThrownBy(() -> CloudEventsKafka.decode(r.headers(), Json.mapper().writeValueAsBytes(json)))
                .hasMessageContaining("field 'status': 'SLEEPING' is not one of [RUNNING, PAUSED,");
    }

    @Test
    void garbageIsNotJson() {
        ProducerRecord<String, byte[]> r = record(SampleEvents.vmState());
        assertThatThrownBy(() -> CloudEventsKafka.decode(r.headers(), "{not json".getBytes()))
                .hasMessageContaining("data is not valid JSON");
    }

    @Test
    void badTimeAndSpecVersionAreRejected() {
        ProducerRecord<String, byte[]> r = record(SampleEvents.vmState());
        r.headers().remove("ce_time").add("ce_time", "2024-05-01 10:00:02".getBytes());
        assertThatThrownBy(() -> CloudEventsKafka.decode(r.headers(), r.value()))
                .hasMessageEndingWith("header 'ce_time' is not an RFC 3339 timestamp: '2024-05-01 10:00:02'");
        ProducerRecord<String, byte[]> r2 = record(SampleEvents.vmState());
        r2.headers().remove("ce_specversion").add("ce_specversion", "0.3".getBytes());
        assertThatThrownBy(() -> CloudEventsKafka.decode(r2.headers(), r2.value()))
                .hasMessageEndingWith("unsupported CloudEvents spec version '0.3' (expected 1.0)");
    }

    @Test
    void emptyValueIsRejectedAndTombstoneRecognised() {
        ProducerRecord<String, byte[]> r = record(SampleEvents.vmState());
        assertThatThrownBy(() -> CloudEventsKafka.decode(r.headers(), new byte[0]))
                .hasMessageEndingWith("the record has no data");
        assertThat(CloudEventsKafka.isTombstone(null)).isTrue();
        assertThat(CloudEventsKafka.isTombstone(new byte[0])).isFalse();
    }

    @Test
    void expectedTypeIsChecked() {
        ProducerRecord<String, byte[]> r = record(SampleEvents.vmState());
        assertThatThrownBy(() -> CloudEventsKafka.decode(r.headers(), r.value(), EventTypes.HOST_STATE))
                .hasMessageEndingWith("expected event type 'lifeboat.host.state.v1' but got 'lifeboat.vm.state.v1'");
        HostState host = (HostState) SampleEvents.all().get(0);
        ProducerRecord<String, byte[]> hr = record(host);
        assertThat(CloudEventsKafka.decode(hr.headers(), hr.value(), EventTypes.HOST_STATE).data()).isEqualTo(host);
    }

    @Test
    void unknownExtraFieldsAreIgnoredForForwardCompatibility() throws Exception {
        ProducerRecord<String, byte[]> r = record(SampleEvents.vmState());
        ObjectNode json = (ObjectNode) Json.mapper().readTree(r.value());
        json.put("addedInV1dot1", 42);
        EventEnvelope<?> e = CloudEventsKafka.decode(r.headers(), Json.mapper().writeValueAsBytes(json));
        assertThat(e.data()).isEqualTo(SampleEvents.vmState());
    }

    private static ProducerRecord<String, byte[]> record(Object data) {
        return CloudEventsKafka.toRecord(EventEnvelope.create(SOURCE, data, SampleEvents.T));
    }

    private static String header(Headers h, String name) {
        return new String(h.lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
