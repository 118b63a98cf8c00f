package io.lifeboat.common;

import io.lifeboat.common.envelope.CloudEventsKafka;
import io.lifeboat.common.envelope.EventDecodingException;
import io.lifeboat.common.envelope.EventEnvelope;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A record off a topic is an event or an {@link EventDecodingException} with its reason, never another failure: the
 * consumers dead-letter the latter as poison and must not mistake anything else for it. Real encoded events of every
 * type, with headers dropped, emptied or garbled and the JSON cut, bit-flipped or given wrong types.
 */
class CloudEventsDecodingFuzzTest {

    @Test
    void aRecordIsAnEventOrAReasonNeverAnotherFailure() {
        List<EventEnvelope<?>> samples = SampleEvents.all().stream()
                .<EventEnvelope<?>>map(d -> EventEnvelope.create(java.net.URI.create("/test"), d)).toList();
        int decoded = 0;
        int refused = 0;
        for (int seed = 0; seed < 20_000; seed++) {
            Random rnd = new Random(seed);
            ProducerRecord<String, byte[]> r = CloudEventsKafka.toRecord(samples.get(rnd.nextInt(samples.size())));
            RecordHeaders headers = headers(r, rnd);
            byte[] value = value(r.value(), rnd);
            try {
                CloudEventsKafka.decode(headers, value);
                decoded++;
            } catch (EventDecodingException e) {
                assertThat(e.getMessage()).isNotBlank();
                refused++;
            }
        }
        assertThat(decoded).isPositive();
        assertThat(refused).isPositive();
    }

    private static RecordHeaders headers(ProducerRecord<String, byte[]> r, Random rnd) {
        List<Header> hs = new ArrayList<>();
        r.headers().forEach(hs::add);
        RecordHeaders out = new RecordHeaders();
        for (Header h : hs) {
            switch (rnd.nextInt(12)) {
                case 0 -> { }   // dropped
                case 1 -> out.add(new RecordHeader(h.key(), new byte[0]));
                case 2 -> out.add(new RecordHeader(h.key(), (byte[]) null));
                case 3 -> out.add(new RecordHeader(h.key(), "garbage ホ \u0000".getBytes(StandardCharsets.UTF_8)));
                case 4 -> out.add(new RecordHeader(h.key(), new byte[] {(byte) 0xff, (byte) 0xfe}));
                default -> out.add(h);
            }
        }
        return out;
    }

    private static byte[] value(byte[] v, Random rnd) {
        String json = new String(v, StandardCharsets.UTF_8);
        return switch (rnd.nextInt(8)) {
            case 0 -> json.substring(0, rnd.nextInt(json.length())).getBytes(StandardCharsets.UTF_8);
            case 1 -> {
                byte[] b = v.clone();
                b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
                yield b;
            }
            case 2 -> json.replaceFirst("\"[A-Za-z]+\":", "\"x\":").getBytes(StandardCharsets.UTF_8);
            case 3 -> json.replaceFirst(":\"[^\"]*\"", ":12345678901234567890123").getBytes(StandardCharsets.UTF_8);
            case 4 -> json.replaceFirst(":\\d+", ":\"NaN\"").getBytes(StandardCharsets.UTF_8);
            case 5 -> json.replaceFirst(":\\[", ":{\"a\":").getBytes(StandardCharsets.UTF_8);
            default -> v;
        };
    }
}
