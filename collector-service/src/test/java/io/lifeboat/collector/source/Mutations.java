package io.lifeboat.collector.source;

import java.math.BigInteger;
import java.util.List;
import java.util.Random;

/**
 * The values real clouds put where a tidy one would not: empty strings, nulls, unknown enum values, impossible dates,
 * numbers that overflow, non-ASCII and very long text. Used by the mapping fuzz tests, with fixed seeds.
 */
public final class Mutations {

    private Mutations() {
    }

    /** A replacement value: null stands for "remove the key / element" or JSON null, as the caller decides. */
    public static Object pick(Random rnd) {
        List<Object> values = List.of("", " ", "null", "SOMETHING_NEW_IN_A_LATER_RELEASE", "unknown",
                "2024-13-45T99:99:99Z", "0000-00-00 00:00:00", "yesterday", "-1", "0",
                new BigInteger("340282366920938463463374607431768211456"), Long.MAX_VALUE, -42,
                "ホスト-🚑-ünïcödé", "x".repeat(10_000), "a/b c\td", "\u0000", "true", 3.14, "{}", "[]");
        return values.get(rnd.nextInt(values.size()));
    }
}
