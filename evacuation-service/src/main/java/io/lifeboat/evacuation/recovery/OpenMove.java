package io.lifeboat.evacuation.recovery;

import io.lifeboat.common.recovery.MoveState;

import java.time.Instant;

/**
 * What the move loop reads of an open move on each turn (a few columns, not the entity), and what a mover needs to
 * choose its target before marking it ONGOING: the mark is conditional on the attempt, so a stale read marks nothing.
 */
public record OpenMove(long id, MoveState state, Instant notBefore, int attempt, String requestedTarget) {
}
