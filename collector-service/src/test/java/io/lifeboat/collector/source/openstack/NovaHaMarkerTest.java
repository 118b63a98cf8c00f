package io.lifeboat.collector.source.openstack;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The instance HA markers the collector recognises, Masakari's among them. */
class NovaHaMarkerTest {

    @Test
    void masakariHaEnabledMarksAnInstanceAndOtherMarkersStillDo() {
        assertThat(NovaServerMapping.ha(Map.of("HA_Enabled", "True"), List.of(), Map.of(), Map.of()).enabled())
                .isTrue();
        assertThat(NovaServerMapping.ha(Map.of("HA_Enabled", "False"), List.of(), Map.of(), Map.of()).enabled())
                .isFalse();
        assertThat(NovaServerMapping.ha(Map.of(), List.of("evacuable"), Map.of(), Map.of()).enabled()).isTrue();
        assertThat(NovaServerMapping.ha(Map.of(), List.of(), Map.of(), Map.of("evacuable", "true")).enabled())
                .isTrue();
        assertThat(NovaServerMapping.ha(Map.of("ha_priority", "70"), List.of(), Map.of(), Map.of()).priority())
                .isEqualTo(70);
        assertThat(NovaServerMapping.ha(Map.of(), List.of(), Map.of(), Map.of()).enabled()).isFalse();
    }
}
