package io.lifeboat.mapping;

import io.lifeboat.testsupport.LifeboatInfra;
import io.lifeboat.testsupport.ServiceEndpointsContract;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasKey;

@QuarkusTest
@QuarkusTestResource(LifeboatInfra.class)
class ServiceEndpointsTest extends ServiceEndpointsContract {

    @Override
    protected String schema() {
        return "mapping";
    }

    @Override
    protected String apiTitle() {
        return "Lifeboat mapping-service";
    }

    @Test
    void openApiDocumentsTheHostEndpoints() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths", hasKey("/api/v1/hosts"))
                .body("paths", hasKey("/api/v1/hosts/{source}/{hostId}/history"));
    }

    @Test
    void readinessNamesEveryChannel() {
        for (String channel : java.util.List.of("inventory-hosts", "inventory-vms", "inventory-storage-domains",
                "infra-events", "host-failures")) {
            given().get("/q/health/ready").then().statusCode(200)
                    .body("checks.find { it.name == 'lifeboat' }.data.'channel " + channel + "'",
                            org.hamcrest.Matchers.startsWith("UP"));
        }
    }
}
