package io.lifeboat.watchdog;

import io.lifeboat.testsupport.LifeboatInfra;
import io.lifeboat.testsupport.ServiceEndpointsContract;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import java.time.Instant;
import java.util.List;
import java.util.Map;

@QuarkusTest
@QuarkusTestResource(LifeboatInfra.class)
class ServiceEndpointsTest extends ServiceEndpointsContract {

    @Override
    protected String schema() {
        return "watchdog";
    }

    @Override
    protected String apiTitle() {
        return "Lifeboat watchdog-service";
    }

    /** A valid batch (one event of each shape): each of its strings is replaced by bad values in turn. */
    @Override
    protected Map<String, List<String>> bodyTemplates() {
        String at = Instant.now().minusSeconds(60).toString();
        return Map.of("POST /api/v1/events", List.of("""
                [{"hypervisor":"fuzz-hv","domainName":"fuzz-vm","kind":"WATCHDOG","watchdogAction":"pause",\
                "occurredAt":"%1$s"},
                 {"hypervisor":"fuzz-hv","domainUuid":"6f0e2a8c-2b1d-4c55-9a41-0d6c1f0e9b11","kind":"IO_ERROR",\
                "ioError":{"srcPath":"/dev/dm-7","devAlias":"virtio-disk1","action":"pause"},"occurredAt":"%1$s"}]
                """.formatted(at)));
    }
}
