package io.lifeboat.common;

import io.lifeboat.common.json.Json;
import io.lifeboat.common.lun.LunWwid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LunWwidTest {

    private static final String MULTIPATH = "3600507680c8081b2e800000000000a5f";

    @ParameterizedTest
    @ValueSource(strings = {
            "3600507680c8081b2e800000000000a5f",      // Linux multipath / oVirt logical_unit id
            "3600507680C8081B2E800000000000A5F",      // same, upper case
            "600507680C8081B2E800000000000A5F",       // SVC vdisk_UID
            "600507680c8081b2e800000000000a5f",       // Cinder volume_wwn, lower case
            "naa.600507680c8081b2e800000000000a5f",   // naa. form
            "NAA.600507680C8081B2E800000000000A5F",
            "  3600507680c8081b2e800000000000a5f\n"   // pasted with whitespace
    })
    void everySpellingOfTheSameLunIsEqual(String text) {
        LunWwid w = LunWwid.parse(text);
        assertThat(w).isEqualTo(LunWwid.parse(MULTIPATH));
        assertThat(w.hashCode()).isEqualTo(LunWwid.parse(MULTIPATH).hashCode());
        assertThat(w.toString()).isEqualTo(MULTIPATH);
    }

    @Test
    void rendersEachForm() {
        LunWwid w = LunWwid.parse("600507680C8081B2E800000000000A5F");
        assertThat(w.multipathWwid()).isEqualTo("3600507680c8081b2e800000000000a5f");
        assertThat(w.svcVdiskUid()).isEqualTo("600507680C8081B2E800000000000A5F");
        assertThat(w.naaForm()).isEqualTo("naa.600507680c8081b2e800000000000a5f");
        assertThat(w.naaHex()).isEqualTo("600507680c8081b2e800000000000a5f");
    }

    @Test
    void acceptsNaaType5() {
        LunWwid w = LunWwid.parse("35000c500a1b2c3d4");
        assertThat(w.svcVdiskUid()).isEqualTo("5000C500A1B2C3D4");
        assertThat(LunWwid.parse("naa.5000c500a1b2c3d4")).isEqualTo(w);
    }

    @Test
    void jsonFormIsTheMultipathWwid() throws Exception {
        LunWwid w = LunWwid.parse("600507680C8081B2E800000000000A5F");
        assertThat(Json.mapper().writeValueAsString(w)).isEqualTo("\"" + MULTIPATH + "\"");
        assertThat(Json.mapper().readValue("\"naa.600507680c8081b2e800000000000a5f\"", LunWwid.class)).isEqualTo(w);
    }

    @Test
    void rejectsNonHex() {
        assertThatThrownBy(() -> LunWwid.parse("3600507680c8081b2e800000000000a5g"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid LUN WWID '3600507680c8081b2e800000000000a5g': 'g' at position 32 is not a hex"
                        + " digit");
    }

    @Test
    void rejectsWrongLength() {
        assertThatThrownBy(() -> LunWwid.parse("600507680C8081B2E800000000000A5"))
                .hasMessage("invalid LUN WWID '600507680C8081B2E800000000000A5': an NAA type 6 identifier has 32 hex"
                        + " digits, found 31");
    }

    @Test
    void rejects33CharactersWithoutTheDesignatorPrefix() {
        assertThatThrownBy(() -> LunWwid.parse("2600507680c8081b2e800000000000a5f"))
                .hasMessage("invalid LUN WWID '2600507680c8081b2e800000000000a5f': a 33-character WWID must start"
                        + " with '3' (NAA designator type)");
    }

    @Test
    void rejectsOtherNaaTypes() {
        assertThatThrownBy(() -> LunWwid.parse("2000000000000001"))
                .hasMessageStartingWith("invalid LUN WWID '2000000000000001': expected an NAA type 6");
    }

    @Test
    void rejectsEmptyAndNull() {
        assertThatThrownBy(() -> LunWwid.parse("  ")).hasMessage("LUN WWID must not be empty");
        assertThatThrownBy(() -> LunWwid.parse(null)).hasMessage("LUN WWID must not be null");
        assertThatThrownBy(() -> LunWwid.parse("naa.")).hasMessage("invalid LUN WWID 'naa.': no identifier after the"
                + " prefix");
        assertThat(LunWwid.parseOrNull(" ")).isNull();
    }

    @Test
    void rejectsAnOvirtImageIdMistakenForAWwid() {
        assertThatThrownBy(() -> LunWwid.parse("d7e1a2b3-0000-4000-8000-000000000001"))
                .hasMessage("invalid LUN WWID 'd7e1a2b3-0000-4000-8000-000000000001': '-' at position 8 is not a hex"
                        + " digit");
        assertThat(LunWwid.isValid("d7e1a2b3-0000-4000-8000-000000000001")).isFalse();
    }
}
