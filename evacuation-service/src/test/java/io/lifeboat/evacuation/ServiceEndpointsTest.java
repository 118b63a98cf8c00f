package io.lifeboat.evacuation;

import io.lifeboat.testsupport.LifeboatInfra;
import io.lifeboat.testsupport.ServiceEndpointsContract;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import java.util.List;
import java.util.Map;

@QuarkusTest
@QuarkusTestResource(LifeboatInfra.class)
class ServiceEndpointsTest extends ServiceEndpointsContract {

    @Override
    protected String schema() {
        return "evacuation";
    }

    @Override
    protected String apiTitle() {
        return "Lifeboat evacuation-service";
    }

    /**
     * A well-formed operator action on each action endpoint; the fuzz replaces its {@code targetHost} and
     * {@code reason} with bad values. The path names a host, VM, run or episode that does not exist, so nothing the
     * fuzz sends can start a recovery.
     */
    @Override
    protected Map<String, List<String>> bodyTemplates() {
        List<String> action = List.of("""
                {"confirmFenced":false,"targetHost":"cmp-fuzz-2","reason":"fuzz"}""");
        return Map.of(
                "POST /api/v1/hosts/{source}/{host}/evacuate", action,
                "POST /api/v1/vms/{source}/{vmId}/evacuate", action,
                "POST /api/v1/runs/{id}/approve", action,
                "POST /api/v1/runs/{id}/cancel", action,
                "POST /api/v1/episodes/{id}/confirm-fenced", action,
                "POST /api/v1/episodes/{id}/cancel", action,
                "POST /api/v1/episodes/{id}/unfence", action);
    }
}
