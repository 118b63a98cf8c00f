package io.lifeboat.evacuation.fencing;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * An escalation chain of fencers (Pacemaker's fencing levels, medik8s' escalating remediations): each is tried in
 * order, with its own timeout, until one confirms the power-off; the ones after it are not called. Every attempt is
 * handed to {@code onAttempt} as soon as it ends, so that it is audited even if the process dies before the next.
 */
public final class FencingChain {

    private FencingChain() {
    }

    /** One fencer's try. */
    public record Attempt(String fencer, Fencer.FenceOutcome outcome) {
        public boolean fenced() {
            return outcome.result() == Fencer.FenceOutcome.Result.FENCED;
        }

        @Override
        public String toString() {
            return fencer + " " + outcome.result() + ": " + outcome.detail();
        }
    }

    /** The attempts made, in order; the last one is the fencing when it {@link Attempt#fenced()}. */
    public static List<Attempt> run(List<Fencer> chain, Fencer.Target target,
                                    BiConsumer<String, Fencer.FenceOutcome> onAttempt) {
        List<Attempt> attempts = new ArrayList<>();
        for (Fencer fencer : chain) {
            Fencer.FenceOutcome outcome;
            try {
                outcome = fencer.fence(target);
            } catch (RuntimeException e) {
                // A fencer's defect must not stop the chain: the next one, or an operator, can still fence.
                outcome = Fencer.FenceOutcome.failed(fencer.name() + " failed unexpectedly: " + e);
            }
            Attempt a = new Attempt(fencer.name(), outcome);
            attempts.add(a);
            onAttempt.accept(fencer.name(), outcome);
            if (a.fenced()) {
                break;
            }
        }
        return attempts;
    }
}
