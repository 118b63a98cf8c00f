package io.lifeboat.watchdog.ingest;

import io.lifeboat.common.libvirt.LibvirtEventKind;
import io.lifeboat.common.libvirt.LibvirtRawEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The virsh event lines of wire-formats.md E.2, both quoting styles, and the lines that must be refused. */
class VirshEventLinesTest {

    @Test
    void readsEveryEventKindInBothQuotingStyles() {
        LibvirtRawEvent w = VirshEventLines.parse("2024-05-01 10:00:02.481+0000: event 'watchdog' for domain"
                + " 'instance-0000a1b2': pause", "cmp-a03", null);
        assertThat(w.kind()).isEqualTo(LibvirtEventKind.WATCHDOG);
        assertThat(w.watchdogAction()).isEqualTo("pause");
        assertThat(w.domainName()).isEqualTo("instance-0000a1b2");
        assertThat(w.domainUuid()).isNull();
        assertThat(w.occurredAt()).isEqualTo(Instant.parse("2024-05-01T10:00:02.481Z"));

        LibvirtRawEvent l = VirshEventLines.parse("2024-05-01 10:00:02.482+0000: event 'lifecycle' for domain"
                + " 'instance-0000a1b2': Suspended Watchdog", "cmp-a03", null);
        assertThat(l.lifecycleType()).isEqualTo("Suspended");
        assertThat(l.lifecycleDetail()).isEqualTo("Watchdog");

        LibvirtRawEvent io = VirshEventLines.parse("2024-05-01 10:03:11.007+0000: event 'io-error' for domain"
                + " 'instance-0000a1c4': /dev/dm-7 (virtio-disk1) pause due to eio", "cmp-a03", null);
        assertThat(io.kind()).isEqualTo(LibvirtEventKind.IO_ERROR_REASON);
        assertThat(io.ioError().srcPath()).isEqualTo("/dev/dm-7");
        assertThat(io.ioError().devAlias()).isEqualTo("virtio-disk1");
        assertThat(io.ioError().action()).isEqualTo("pause");
        assertThat(io.ioError().reason()).isEqualTo("eio");

        LibvirtRawEvent unquoted = VirshEventLines.parse("2024-05-01 10:07:45.300+0000: event 'lifecycle' for domain"
                + " vm1: Stopped Failed", "hv-01", null);
        assertThat(unquoted.domainName()).isEqualTo("vm1");
        assertThat(unquoted.lifecycleDetail()).isEqualTo("Failed");

        LibvirtRawEvent panic = VirshEventLines.parse("2024-05-01 10:07:45.300+0000: event 'lifecycle' for domain"
                + " '7d3f0c4e-1111-4a2b-9c9c-000000000001': Crashed Panicked", "hv-01", null);
        assertThat(panic.domainUuid()).isEqualTo("7d3f0c4e-1111-4a2b-9c9c-000000000001");
        assertThat(panic.domainName()).isNull();

        LibvirtRawEvent reboot = VirshEventLines.parse("2024-05-01 10:07:46.000+0000: event 'reboot' for domain"
                + " 'web-1'", "hv-01", null);
        assertThat(reboot.kind()).isEqualTo(LibvirtEventKind.REBOOT);
    }

    @Test
    void refusesWhatIsNotAnEventLineWithTheReason() {
        assertThatThrownBy(() -> VirshEventLines.parse("hello", "h", null))
                .hasMessageContaining("not a 'virsh event --timestamp' line");
        assertThatThrownBy(() -> VirshEventLines.parse("2024-05-01 10:00:02.481+0000: event 'watchdog' for domain"
                + " 'x': explode", "h", null)).hasMessage("unknown watchdog action 'explode'");
        assertThatThrownBy(() -> VirshEventLines.parse("2024-05-01 10:00:02.481+0000: event 'lifecycle' for domain"
                + " 'x': Exploded Loudly", "h", null)).hasMessage("unknown lifecycle event type 'Exploded'");
        assertThatThrownBy(() -> VirshEventLines.parse("2024-05-01 10:00:02.481+0000: event 'tray-change' for domain"
                + " 'x': opened", "h", null)).hasMessageContaining("is not one Lifeboat takes");
        assertThat(VirshEventLines.ignorable("events received: 12")).isTrue();
        assertThat(VirshEventLines.ignorable("event loop interrupted")).isTrue();
    }
}
