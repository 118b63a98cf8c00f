package io.lifeboat.watchdog;

import io.lifeboat.testsupport.LifeboatInfra;
import io.lifeboat.testsupport.ServiceEndpointsContract;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

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
}
