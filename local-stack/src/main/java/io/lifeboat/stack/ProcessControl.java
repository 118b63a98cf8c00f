package io.lifeboat.stack;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Stops child processes politely (SIGTERM), then firmly. */
final class ProcessControl {

    private ProcessControl() {
    }

    static void stop(Process p, Duration grace) throws InterruptedException {
        if (!p.isAlive()) {
            return;
        }
        p.destroy();
        if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
