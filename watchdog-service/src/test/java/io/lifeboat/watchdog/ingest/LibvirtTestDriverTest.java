package io.lifeboat.watchdog.ingest;

import io.lifeboat.common.libvirt.IngestPath;
import io.lifeboat.common.libvirt.LibvirtEventKind;
import io.lifeboat.common.libvirt.LibvirtRawEvent;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;
import org.libvirt.Domain;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * libvirt-java against libvirt's own test driver ({@code test:///default}, in this process through Debian's
 * libvirt0): a domain defined, started, paused, resumed, crashed and removed gives these lifecycle events as raw
 * events. Skipped with the reason when libvirt0 is missing, except where {@code LIFEBOAT_REQUIRE_LIBVIRT=1} (set by
 * {@code ./lifeboat test} once it has made sure libvirt0 is present): there it fails.
 */
class LibvirtTestDriverTest {

    @Test
    void lifecycleEventsOfTestDriverDomainsBecomeRawEvents() throws Exception {
        String reason = LibvirtEventSource.unavailableReason();
        if (reason != null) {
            if ("1".equals(System.getenv("LIFEBOAT_REQUIRE_LIBVIRT"))) {
                fail("libvirt is required here but unavailable: " + reason);
            }
            System.out.println("SKIPPED LibvirtTestDriverTest: " + reason);
            Assumptions.abort(reason);
        }
        BlockingQueue<LibvirtRawEvent> events = new LinkedBlockingQueue<>();
        String uuid = UUID.randomUUID().toString();
        String name = "lb-guest-" + uuid.substring(0, 8);
        Path dump = Files.createTempFile("lifeboat-core", ".dump");
        try (LibvirtEventSource source = new LibvirtEventSource("test:///default", "hv-test", null, events::add,
                () -> { }, Clock.systemUTC())) {
            Connect c = source.connection();
            Domain d = c.domainDefineXML("<domain type='test'><name>" + name + "</name><uuid>" + uuid + "</uuid>"
                    + "<memory>65536</memory><vcpu>1</vcpu><os><type>hvm</type></os>"
                    + "<devices><watchdog model='i6300esb' action='poweroff'/><panic model='isa'/></devices>"
                    + "</domain>");
            d.create();
            d.suspend();
            d.resume();
            d.coreDump(dump.toString(), 1);   // VIR_DUMP_CRASH: the test driver stops it as crashed
            d.undefine();

            List<String> seen = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (seen.size() < 6 && System.nanoTime() < deadline) {
                LibvirtRawEvent e = events.poll(200, TimeUnit.MILLISECONDS);
                if (e != null && uuid.equals(e.domainUuid())) {
                    assertThat(e.kind()).isEqualTo(LibvirtEventKind.LIFECYCLE);
                    assertThat(e.domainName()).isEqualTo(name);
                    assertThat(e.hypervisor()).isEqualTo("hv-test");
                    assertThat(e.via()).isEqualTo(IngestPath.LIBVIRT);
                    seen.add(e.lifecycleType() + " " + e.lifecycleDetail());
                }
            }
            assertThat(seen).containsExactly("Defined Added", "Started Booted", "Suspended Paused",
                    "Resumed Unpaused", "Stopped Crashed", "Undefined Removed");
        } finally {
            Files.deleteIfExists(dump);
        }
    }
}
