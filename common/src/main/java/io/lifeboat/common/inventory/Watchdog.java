package io.lifeboat.common.inventory;

import io.lifeboat.common.Nullable;
import io.lifeboat.common.Require;

/** A configured guest watchdog device. Nova always uses model {@code i6300esb}. */
public record Watchdog(@Nullable String model, WatchdogAction action, WatchdogSource source) {
    public Watchdog {
        Require.field(action, "action");
        Require.field(source, "source");
    }
}
