package io.lifeboat.collector;

import io.lifeboat.testsupport.LifeboatInfra;
import io.lifeboat.testsupport.ServiceEndpointsContract;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(LifeboatInfra.class)
class ServiceEndpointsTest extends ServiceEndpointsContract {

    @Override
    protected String schema() {
        return "collector";
    }

    @Override
    protected String apiTitle() {
        return "Lifeboat collector-service";
    }
}
