package io.lifeboat.evacuation.detection;

import io.lifeboat.evacuation.view.HostView;

/**
 * A probe round's verdict on one host, fired (synchronously, in the round's transaction) to the failure lifecycle,
 * which decides what it means for the host's episode.
 */
public record HostProbed(HostView host, HostVerdict verdict) {
}
