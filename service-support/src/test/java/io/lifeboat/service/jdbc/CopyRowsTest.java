package io.lifeboat.service.jdbc;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CopyRowsTest {

    @Test
    void instantsAreWrittenAsIsoUtcThatReadsBackToTheSameInstant() {
        SplittableRandom random = new SplittableRandom(42);
        long min = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
        long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 20_000; i++) {
            long sec = random.nextLong(min, max + 1);
            int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant t = Instant.ofEpochSecond(sec, nano);
            String text = new CopyRows().value(t).endRow().text();
            assertThat(Instant.parse(text.strip())).as(text).isEqualTo(t);
        }
    }

    @Test
    void instantsAtTheEdgesAndOutsideTheFastRange() {
        assertThat(one(Instant.parse("1970-01-01T00:00:00Z"))).isEqualTo("1970-01-01T00:00:00Z");
        assertThat(one(Instant.parse("2026-12-04T11:18:52.569875918Z"))).isEqualTo("2026-12-04T11:18:52.569875918Z");
        assertThat(one(Instant.parse("2026-12-04T11:18:52.500Z"))).isEqualTo("2026-12-04T11:18:52.5Z");
        assertThat(one(Instant.parse("2024-02-29T23:59:59.000001Z"))).isEqualTo("2024-02-29T23:59:59.000001Z");
        assertThat(one(Instant.parse("0001-01-01T00:00:00Z"))).isEqualTo("0001-01-01T00:00:00Z");
        assertThat(one(Instant.parse("1969-12-31T23:59:59.999999999Z"))).isEqualTo("1969-12-31T23:59:59.999999999Z");
        assertThat(one(Instant.parse("9999-12-31T23:59:59.9Z"))).isEqualTo("9999-12-31T23:59:59.9Z");
        assertThat(one(Instant.parse("+10000-01-01T00:00:00Z"))).isEqualTo("+10000-01-01T00:00:00Z");
        assertThat(one(Instant.parse("-0001-01-01T00:00:00Z"))).isEqualTo("-0001-01-01T00:00:00Z");
    }

    @Test
    void valuesAreEscapedAndRowsEnded() {
        CopyRows rows = new CopyRows().value("a\tb\\c\nd\re").value(null).value(true).value(12L).endRow()
                .value("x").endRow();
        assertThat(rows.text()).isEqualTo("a\\tb\\\\c\\nd\\re\t\\N\tt\t12\nx\n");
        assertThat(rows.rows()).isEqualTo(2);
        assertThatThrownBy(() -> new CopyRows().value("a\0b")).isInstanceOf(IllegalArgumentException.class);
    }

    private static String one(Instant t) {
        String text = new CopyRows().value(t).endRow().text();
        return text.substring(0, text.length() - 1);
    }
}
