package io.lifeboat.watchdog.ingest;

import io.lifeboat.common.libvirt.LibvirtRawEvent;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever a hypervisor's pipe sends, a line either becomes an event or is refused with an
 * {@link IllegalArgumentException} naming the reason (the HTTP batch then rejects that line alone): no other
 * exception, which the batch would turn into a 500. Real lines, with characters dropped, doubled or replaced, fields
 * swapped, impossible dates and times, and very long or non-ASCII text.
 */
class VirshEventLinesFuzzTest {

    private static final List<String> LINES = List.of(
            "2024-05-01 10:00:02.481+0000: event 'watchdog' for domain 'instance-0000a1b2': pause",
            "2024-05-01 10:00:02.482+0000: event 'lifecycle' for domain 'instance-0000a1b2': Suspended Watchdog",
            "2024-05-01 10:03:11.007+0000: event 'io-error' for domain 'instance-0000a1c4': /dev/dm-7 (virtio-disk1)"
                    + " pause due to eio",
            "2024-05-01 10:04:00.000+0000: event 'reboot' for domain 5c1e0000-0000-4000-8000-0000000000a0",
            "2024-05-01 10:05:00.000+0000: event 'lifecycle' for domain 'db-01': Crashed Panicked");
    private static final String ODD = "\u0000\t'\":+ホ🚑0123456789-";

    @Test
    void aLineIsAnEventOrARefusalWithItsReasonNeverAnotherFailure() {
        int parsed = 0;
        int refused = 0;
        for (int seed = 0; seed < 20_000; seed++) {
            Random rnd = new Random(seed);
            String line = mutate(LINES.get(rnd.nextInt(LINES.size())), rnd);
            try {
                LibvirtRawEvent e = VirshEventLines.parse(line, "cmp-a03", null);
                RawEventLimits.check(e);
                parsed++;
            } catch (IllegalArgumentException expected) {
                assertThat(expected.getMessage()).as("seed %d: %s", seed, line).isNotBlank();
                refused++;
            }
        }
        assertThat(parsed).isPositive();
        assertThat(refused).isPositive();
    }

    @Test
    void impossibleDatesAndTimesAreRefusedNotRolledOver() {
        for (String when : List.of("2024-02-30 10:00:00.000", "2023-02-29 10:00:00.000", "2024-13-01 10:00:00.000",
                "2024-04-31 10:00:00.000", "2024-05-01 24:00:00.000", "2024-05-01 10:60:00.000",
                "2024-05-01 10:00:61.000", "0000-00-00 00:00:00.000")) {
            String line = when + "+0000: event 'watchdog' for domain 'x': pause";
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> VirshEventLines.parse(line, "h", null))
                    .as(when).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("impossible time");
        }
    }

    private static String mutate(String line, Random rnd) {
        StringBuilder sb = new StringBuilder(line);
        int changes = 1 + rnd.nextInt(3);
        for (int i = 0; i < changes && !sb.isEmpty(); i++) {
            int at = rnd.nextInt(sb.length());
            switch (rnd.nextInt(6)) {
                case 0 -> sb.deleteCharAt(at);
                case 1 -> sb.insert(at, sb.charAt(at));
                case 2 -> sb.setCharAt(at, ODD.charAt(rnd.nextInt(ODD.length())));
                case 3 -> sb.insert(at, "x".repeat(5000));
                case 4 -> sb.replace(0, Math.min(sb.length(), 10), List.of("2024-13-45", "9999-99-99",
                        "2024-02-30", "0000-00-00").get(rnd.nextInt(4)));
                default -> sb.setCharAt(at, (char) ('0' + rnd.nextInt(10)));
            }
        }
        return sb.toString();
    }
}
