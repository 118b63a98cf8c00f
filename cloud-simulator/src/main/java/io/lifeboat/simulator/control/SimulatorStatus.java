package io.lifeboat.simulator.control;

import java.time.Instant;

/** What the control API reports about the running simulator. */
public record SimulatorStatus(String name, String version, Instant startedAt) {
}
