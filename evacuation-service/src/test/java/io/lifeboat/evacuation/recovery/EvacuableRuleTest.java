package io.lifeboat.evacuation.recovery;

import io.lifeboat.evacuation.config.EvacuationConfig.EvacuablePolicy;
import io.lifeboat.evacuation.platform.openstack.NovaApi;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The evacuable rule, case by case, with the fact each verdict names. */
class EvacuableRuleTest {

    private final EvacuableRule rule = new EvacuableRule("HA_Enabled");

    private static NovaApi.Server server(String name, Map<String, String> metadata, List<String> tags,
                                         Map<String, String> flavorSpecs, String imageId) {
        return new NovaApi.Server("id-" + name, name, "cmp-a01", "ACTIVE", "active", null, metadata, tags,
                flavorSpecs, null, NovaApi.Flavor.UNKNOWN, imageId);
    }

    private static NovaApi.Server plain(String name) {
        return server(name, Map.of(), List.of(), Map.of(), "img-plain");
    }

    @Test
    void withNothingMarkedAnywhereEveryInstanceIsEvacuableAndTheVerdictSaysWhy() {
        EvacuableRule.SourceMarkers m = rule.scan(List.of(plain("a"), plain("b")),
                Map.of("1", Map.of("hw:watchdog_action", "reset")), Map.of("img-plain", Map.of()));
        assertThat(m.any()).isFalse();
        EvacuableRule.Verdict v = rule.decide(plain("a"), Map.of(), m, EvacuablePolicy.AUTO);
        assertThat(v.evacuable()).isTrue();
        assertThat(v.describe()).contains("Pacemaker's rule").contains("no server, flavor or image");
    }

    @Test
    void oneMarkedImageThatNoInstanceUsesStillMakesTheSourceMarked() {
        EvacuableRule.SourceMarkers m = rule.scan(List.of(plain("a")), Map.of(),
                Map.of("img-plain", Map.of(), "img-ha", Map.of("evacuable", "True")));
        assertThat(m).isEqualTo(new EvacuableRule.SourceMarkers(true, "image img-ha: property evacuable=True"));
        EvacuableRule.Verdict v = rule.decide(plain("a"), Map.of(), m, EvacuablePolicy.AUTO);
        assertThat(v.evacuable()).isFalse();
        assertThat(v.rule()).startsWith("not tagged evacuable");
        assertThat(v.fact()).isEqualTo("image img-ha: property evacuable=True");
    }

    @Test
    void aMarkedFlavorWithoutInstancesMarksTheSourceToo() {
        EvacuableRule.SourceMarkers m = rule.scan(List.of(plain("a")),
                Map.of("4", Map.of("evacuable", "true")), Map.of());
        assertThat(m.fact()).isEqualTo("flavor 4: extra spec evacuable=true");
    }

    @Test
    void anInstanceIsMarkedByItsImageAndTheVerdictNamesIt() {
        EvacuableRule.SourceMarkers m = new EvacuableRule.SourceMarkers(true, "image img-ha: property evacuable=yes");
        EvacuableRule.Verdict v = rule.decide(server("b", Map.of(), List.of(), Map.of(), "img-ha"),
                Map.of("evacuable", "yes"), m, EvacuablePolicy.AUTO);
        assertThat(v).isEqualTo(new EvacuableRule.Verdict(true, "marked evacuable", "image property evacuable=yes"));
    }

    @Test
    void masakarisKeyMarksAndAnExplicitNoAnywhereWins() {
        EvacuableRule.SourceMarkers marked = new EvacuableRule.SourceMarkers(true, "x");
        assertThat(rule.decide(server("m", Map.of("HA_Enabled", "True"), List.of(), Map.of(), null), Map.of(),
                marked, EvacuablePolicy.AUTO).fact()).isEqualTo("server metadata HA_Enabled=True");
        // tagged, flavor says yes, but the image says no
        EvacuableRule.Verdict v = rule.decide(server("n", Map.of("ha", "true"), List.of("evacuable"),
                Map.of("evacuable", "true"), "img-no"), Map.of("evacuable", "false"), marked, EvacuablePolicy.ALL);
        assertThat(v).isEqualTo(new EvacuableRule.Verdict(false, "opted out", "image property evacuable=false"));
        assertThat(rule.decide(server("o", Map.of("HA_Enabled", "False"), List.of("evacuable"), Map.of(), null),
                Map.of(), marked, EvacuablePolicy.AUTO).fact()).isEqualTo("server metadata HA_Enabled=False");
    }

    @Test
    void aConfiguredKeyReplacesMasakarisAndThePoliciesDecideTheUnmarked() {
        EvacuableRule custom = new EvacuableRule("com.example/ha");
        EvacuableRule.SourceMarkers m = custom.scan(List.of(server("c", Map.of("com.example/ha", "on"), List.of(),
                Map.of(), null)), Map.of(), Map.of());
        assertThat(m.fact()).isEqualTo("server c: server metadata com.example/ha=on");
        assertThat(custom.decide(server("d", Map.of("HA_Enabled", "True"), List.of(), Map.of(), null), Map.of(), m,
                EvacuablePolicy.AUTO).evacuable()).as("HA_Enabled is not the key here").isFalse();
        assertThat(rule.decide(plain("e"), Map.of(), m, EvacuablePolicy.ALL).evacuable()).isTrue();
        assertThat(rule.decide(plain("e"), Map.of(), EvacuableRule.SourceMarkers.NONE, EvacuablePolicy.TAGGED)
                .evacuable()).isFalse();
    }
}
