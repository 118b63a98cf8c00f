package io.lifeboat.evacuation.fencing;

/**
 * Confirms a failed host powered off. Recovery starts only after a fencer (or an operator) says so: the old host
 * must not come back and run, or destroy, guests that now run elsewhere (wire-formats.md A.1 pitfalls).
 */
public interface Fencer {

    /** The fencer's name in the audit trail, e.g. {@code ovirt-engine} or {@code redfish}. */
    String name();

    FenceOutcome fence(Target host);

    /**
     * The host to fence, as its source names it; {@code since} is when the failure's evidence began (what a fencer
     * that reads the platform's events looks after), null when unknown.
     */
    record Target(String sourceId, String hostId, String name, java.time.Instant since) {
        public Target(String sourceId, String hostId, String name) {
            this(sourceId, hostId, name, null);
        }
    }

    /** What fencing achieved. */
    record FenceOutcome(Result result, String detail) {

        public enum Result {
            /** Power-off confirmed. */
            FENCED,
            /** This fencer cannot fence the host (no power management, no BMC address): an operator must. */
            UNAVAILABLE,
            /** Tried and failed; may be retried. */
            FAILED
        }

        public static FenceOutcome fenced(String detail) {
            return new FenceOutcome(Result.FENCED, detail);
        }

        public static FenceOutcome unavailable(String detail) {
            return new FenceOutcome(Result.UNAVAILABLE, detail);
        }

        public static FenceOutcome failed(String detail) {
            return new FenceOutcome(Result.FAILED, detail);
        }
    }
}
