package io.lifeboat.common;

import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.id.Identifiers;
import io.lifeboat.common.id.SourceId;
import io.lifeboat.common.id.VmKey;
import io.lifeboat.common.json.Json;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdentifiersTest {

    @Test
    void hostKeyParsesSourceAndHostId() {
        HostKey k = HostKey.parse("os-region1/cmp-a03");
        assertThat(k.source()).isEqualTo(SourceId.of("os-region1"));
        assertThat(k.hostId()).isEqualTo("cmp-a03");
        assertThat(k.toString()).isEqualTo("os-region1/cmp-a03");
        assertThat(HostKey.parse(k.toString())).isEqualTo(k);
    }

    @Test
    void vmKeyRoundTripsThroughJsonAsAString() throws Exception {
        VmKey k = VmKey.parse("ovirt-dc1/5c1e9a2b-0000-4000-8000-0000000000a0");
        String json = Json.mapper().writeValueAsString(k);
        assertThat(json).isEqualTo("\"ovirt-dc1/5c1e9a2b-0000-4000-8000-0000000000a0\"");
        assertThat(Json.mapper().readValue(json, VmKey.class)).isEqualTo(k);
    }

    @Test
    void keyWithoutSeparatorIsRejected() {
        assertThatThrownBy(() -> HostKey.parse("cmp-a03"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid host key 'cmp-a03': expected '<source>/<id>'");
    }

    @Test
    void keyWithTwoSeparatorsIsRejected() {
        assertThatThrownBy(() -> VmKey.parse("a/b/c"))
                .hasMessage("invalid VM key 'a/b/c': more than one '/'");
    }

    @Test
    void keyWithEmptyIdIsRejected() {
        assertThatThrownBy(() -> HostKey.parse("os-region1/"))
                .hasMessageStartingWith("invalid host key 'os-region1/': the id after '/' is empty");
    }

    @Test
    void keyWithInvalidSourceNamesTheSourceRule() {
        assertThatThrownBy(() -> VmKey.parse("OVIRT/x"))
                .hasMessageStartingWith("invalid VM key 'OVIRT/x': invalid source id 'OVIRT': use 1-63 lower-case");
        assertThatThrownBy(() -> HostKey.parse("/x"))
                .hasMessage("invalid host key '/x': source id must not be empty");
    }

    @Test
    void keyWithWhitespaceInIdIsRejected() {
        assertThatThrownBy(() -> HostKey.parse("src/cmp a03"))
                .hasMessageStartingWith("invalid host key 'src/cmp a03': the id after '/' contains U+0020 at"
                        + " position 3; expected 1-255 characters");
    }

    @Test
    void oneIdPatternTakesWhatCloudsProduceAndRefusesWhatWouldReachAColumnOrALogLine() {
        String fqdn = ("a".repeat(63) + ".").repeat(3) + "b".repeat(61); // 253 characters, the DNS maximum
        for (String ok : List.of("3f2a9c1e-7b44-4d1a-9a4e-0c5b8f7d2e11", "cmp-a03", "cmp-a03.dc1.example.com", fqdn,
                "vm-élan_01", "10.0.0.7", "fe80::1", "x".repeat(255))) {
            assertThat(Identifiers.idProblem(ok)).as(ok).isEmpty();
            assertThat(HostKey.parse("ovirt-dc1/" + ok).hostId()).isEqualTo(ok);
        }
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("", "is empty");
        refused.put("x".repeat(256), "is 256 characters;");
        refused.put("a/b", "is not 1-255 characters");
        refused.put("cmp\u0000a03", "contains U+0000 at position 3");
        refused.put("cmp\r\nX-Injected: 1", "contains U+000D at position 3");
        refused.put("cmp\u00a0a03", "contains U+00A0 at position 3");
        refused.put("cmp\u200ba03", "contains U+200B at position 3");
        refused.put("cmp\u202ea03", "contains U+202E at position 3");
        refused.put("cmp\u2028", "contains U+2028 at position 3");
        refused.put("cmp\ud800", "contains U+D800 at position 3");
        refused.forEach((bad, why) -> assertThat(Identifiers.idProblem(bad)).as(bad).hasValueSatisfying(
                p -> assertThat(p).startsWith(why)));
    }

    @Test
    void queryFiltersTakeAKeyOrAnId() {
        assertThat(Identifiers.keyOrIdProblem("ovirt-dc1/3f2a9c1e")).isEmpty();
        assertThat(Identifiers.keyOrIdProblem("cmp-a03")).isEmpty();
        assertThat(Identifiers.keyOrIdProblem("ovirt-dc1/" + "x".repeat(255))).isEmpty();
        assertThat(Identifiers.keyOrIdProblem("OVIRT/x")).isPresent();
        assertThat(Identifiers.keyOrIdProblem("a/b/c")).isPresent();
        assertThat(Identifiers.keyOrIdProblem("../../etc/passwd")).isPresent();
        assertThat(Identifiers.keyOrIdProblem("ovirt-dc1/" + "x".repeat(256))).hasValueSatisfying(
                p -> assertThat(p).startsWith("has an id of 256 characters;"));
    }

    @Test
    void emptyAndNullKeysAreRejected() {
        assertThatThrownBy(() -> HostKey.parse("")).hasMessage("host key must not be empty");
        assertThatThrownBy(() -> VmKey.parse(null)).hasMessage("VM key must not be empty");
    }

    @Test
    void sourceIdRules() {
        assertThat(SourceId.of("ovirt-dc1.prod_2").value()).isEqualTo("ovirt-dc1.prod_2");
        assertThatThrownBy(() -> SourceId.of("-dc1")).hasMessageStartingWith("invalid source id '-dc1'");
        assertThatThrownBy(() -> SourceId.of("a".repeat(64))).hasMessageContaining("1-63");
        assertThatThrownBy(() -> SourceId.of("")).hasMessage("source id must not be empty");
    }

    @Test
    void invalidKeyInsideJsonFailsWithTheReason() {
        assertThatThrownBy(() -> Json.mapper().readValue("\"nope\"", HostKey.class))
                .hasMessageContaining("invalid host key 'nope': expected '<source>/<id>'");
    }
}
