package io.lifeboat.cloud;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

class SharedSourcesTest {

    private static SmallRyeConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder().addDiscoveredInterceptors().addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(properties, "test", 100)).build();
    }

    @Test
    void aSharedSourceIsEveryServicesSourceAndAServicesOwnKeyWins() {
        SmallRyeConfig c = config(Map.of(
                "lifeboat.sources.ovirt-1.kind", "ovirt",
                "lifeboat.sources.ovirt-1.url", "https://engine/ovirt-engine/api",
                "lifeboat.sources.ovirt-1.password", "${OVIRT_PASSWORD:from-env}",
                "lifeboat.evacuation.sources.ovirt-1.url", "https://engine-vip/ovirt-engine/api",
                "lifeboat.collector.sources.ovirt-1.cycle-interval", "1m"));
        assertThat(c.getValue("lifeboat.collector.sources.ovirt-1.url", String.class))
                .isEqualTo("https://engine/ovirt-engine/api");
        assertThat(c.getValue("lifeboat.evacuation.sources.ovirt-1.url", String.class))
                .isEqualTo("https://engine-vip/ovirt-engine/api");
        assertThat(c.getValue("lifeboat.evacuation.sources.ovirt-1.password", String.class)).isEqualTo("from-env");
        assertThat(c.getValue("lifeboat.collector.sources.ovirt-1.cycle-interval", String.class)).isEqualTo("1m");
        assertThat(c.getOptionalValue("lifeboat.evacuation.sources.ovirt-1.cycle-interval", String.class)).isEmpty();
        assertThat(StreamSupport.stream(c.getPropertyNames().spliterator(), false).toList())
                .contains("lifeboat.collector.sources.ovirt-1.kind", "lifeboat.evacuation.sources.ovirt-1.kind");
    }
}
