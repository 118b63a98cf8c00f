package io.lifeboat.evacuation.detection;

import io.lifeboat.evacuation.detection.Evidence.Kind;
import io.lifeboat.evacuation.detection.Evidence.Reading;
import org.junit.jupiter.api.Test;
import org.assertj.core.api.SoftAssertions;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** How the evidence about a host combines: every combination of the platform's view and three probes that matters. */
class HostVerdictTest {

    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

    private static List<Evidence> probes(String heartbeat, String bmc, String network) {
        List<Evidence> out = new ArrayList<>();
        add(out, Kind.HEARTBEAT, heartbeat, 3);
        add(out, Kind.BMC, bmc, 1);
        add(out, Kind.NETWORK, network, 2);
        return out;
    }

    /** A reading that began {@code secondsAfterT0} after T0; "-" for a probe that is not configured. */
    private static void add(List<Evidence> out, Kind kind, String reading, int secondsAfterT0) {
        if (!reading.equals("-")) {
            Instant since = T0.plusSeconds(secondsAfterT0);
            out.add(new Evidence(kind, Reading.valueOf(reading), kind + " " + reading, since, since.plusSeconds(5)));
        }
    }

    /**
     * Platform down, heartbeat, BMC, network → suspected, clear. (A table in one test: the Kafka test kit on this
     * module's class path registers a test-template provider that breaks JUnit's parameterized tests.)
     */
    private static final String[] TABLE = {
            // the platform alone decides when it says down
            "true,  -,       -,       -,       true,  false",
            "true,  UP,      UP,      UP,      true,  false",
            // power loss: BMC off and the port closed agree before Nova's heartbeat is stale
            "false, UP,      DOWN,    DOWN,    true,  false",
            // management network cut: port closed and heartbeat stale agree, the BMC still says On
            "false, DOWN,    UP,      DOWN,    true,  false",
            // total power loss: the BMC does not answer; port and heartbeat agree
            "false, DOWN,    UNKNOWN, DOWN,    true,  false",
            // one probe alone never suspects, whichever it is
            "false, UP,      UP,      DOWN,    false, false",
            "false, UP,      DOWN,    UP,      false, false",
            "false, DOWN,    UP,      UP,      false, false",
            "false, UNKNOWN, UNKNOWN, DOWN,    false, false",
            // storage loss: every probe says up
            "false, UP,      UP,      UP,      false, true",
            // nothing can tell: neither suspected nor clear
            "false, UNKNOWN, UNKNOWN, UNKNOWN, false, false",
            // an unanswered BMC does not clear a host whose port is closed
            "false, UP,      UNKNOWN, DOWN,    false, false",
            // not probed at all: the platform's view alone
            "false, -,       -,       -,       false, true",
    };

    @Test
    void evidenceCombines() {
        SoftAssertions softly = new SoftAssertions();
        for (String row : TABLE) {
            String[] c = row.split(",\\s*");
            boolean platformDown = Boolean.parseBoolean(c[0].trim());
            HostVerdict v = HostVerdict.of(platformDown, platformDown ? "down" : "up", T0.plusSeconds(10),
                    probes(c[1].trim(), c[2].trim(), c[3].trim()));
            softly.assertThat(v.suspected()).as(row + ": suspected (" + v.reason() + ")")
                    .isEqualTo(Boolean.parseBoolean(c[4].trim()));
            softly.assertThat(v.clear()).as(row + ": clear (" + v.reason() + ")")
                    .isEqualTo(Boolean.parseBoolean(c[5].trim()));
        }
        softly.assertAll();
        assertThat(TABLE).hasSize(13);
    }

    @Test
    void theFirstEvidenceIsTheEarliestDownReadingAndTheReasonNamesEachOne() {
        HostVerdict v = HostVerdict.of(false, "up", T0.plusSeconds(60), probes("UP", "DOWN", "DOWN"));
        assertThat(v.firstEvidenceAt()).isEqualTo(T0.plusSeconds(1));   // the BMC's reading began first
        assertThat(v.reason()).isEqualTo("2 independent probes agree: bmc: BMC DOWN; network: NETWORK DOWN");
        HostVerdict platform = HostVerdict.of(true, "down", T0.plusSeconds(60), probes("DOWN", "UP", "UP"));
        assertThat(platform.firstEvidenceAt()).isEqualTo(T0.plusSeconds(3));   // the heartbeat went stale first
        assertThat(platform.reason()).isEqualTo("platform reports down; heartbeat: HEARTBEAT DOWN");
    }

    @Test
    void aPortThatAcceptsIsUpAClosedOneDownAndNoAddressUnknown() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
            assertThat(HostProbes.network("127.0.0.1", List.of(closed), Duration.ofSeconds(1)).toString())
                    .contains("UP", "127.0.0.1:" + closed + " accepts");
        }
        assertThat(HostProbes.network("127.0.0.1", List.of(closed), Duration.ofSeconds(1)).toString())
                .contains("DOWN", closed + " refused");
        assertThat(HostProbes.network(null, List.of(closed), Duration.ofSeconds(1)).toString())
                .contains("UNKNOWN", "no management address");
    }
}
