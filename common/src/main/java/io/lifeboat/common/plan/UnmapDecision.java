package io.lifeboat.common.plan;

public enum UnmapDecision {
    UNMAP,
    KEEP
}
