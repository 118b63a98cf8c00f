package io.lifeboat.common;

import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.id.SourceId;
import io.lifeboat.common.id.VmKey;
import io.lifeboat.common.json.Json;
import org.junit.jupiter.api.Test;

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
                .hasMessage("invalid host key 'os-region1/': the id after '/' is empty");
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
                .hasMessage("invalid host key 'src/cmp a03': the id must not contain '/', whitespace or control"
                        + " characters");
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
