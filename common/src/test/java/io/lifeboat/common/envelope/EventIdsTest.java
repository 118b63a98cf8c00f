package io.lifeboat.common.envelope;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class EventIdsTest {

    @Test
    void anIdIsAVersion7UuidCarryingItsMillisecond() {
        long at = Instant.parse("2026-12-02T10:15:30.123Z").toEpochMilli();
        UUID id = EventIds.next(at);
        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(at);
        // RFC 9562's example layout: the time is the first 12 hex digits of the text form
        assertThat(id.toString()).startsWith(String.format("%08x-%04x-7", at >>> 16, at & 0xFFFF));
    }

    @Test
    void idsOfLaterMillisecondsSortAfterEarlierOnesAsText() {
        long t = Instant.parse("2026-12-02T10:15:30Z").toEpochMilli();
        String previous = EventIds.next(t).toString();
        for (int ms = 1; ms < 2000; ms++) {
            String next = EventIds.next(t + ms).toString();
            assertThat(next).isGreaterThan(previous);   // the inbox's B-tree on the text id grows at its right edge
            previous = next;
        }
    }

    @Test
    void idsOfTheSameMillisecondAreUnique() {
        Set<String> ids = new HashSet<>();
        long t = System.currentTimeMillis();
        for (int i = 0; i < 100_000; i++) {
            ids.add(EventIds.next(t).toString());
        }
        assertThat(ids).hasSize(100_000);
        assertThat(UUID.fromString(EventIds.next())).isNotNull();
    }
}
