package io.lifeboat.evacuation.detection;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * What the evidence about one host says, combined (DESIGN.md: detection). A host is suspected when its platform
 * reports it down, or when two independent probes agree that it is down (a BMC reading Off and a management address
 * that refuses connections, say); it is clear only when nothing says down and something says up. A probe that cannot
 * tell (UNKNOWN) counts neither way, so one unanswered read neither opens nor closes an episode.
 *
 * @param suspected       the host is to be treated as failed (an episode opens, or goes on)
 * @param clear           the evidence positively says the host is up (an unfenced episode may be abandoned)
 * @param reason          the readings that decided, for the episode and the audit
 * @param firstEvidenceAt when the earliest DOWN reading among the deciding ones began (null when none)
 */
public record HostVerdict(boolean suspected, boolean clear, String reason, Instant firstEvidenceAt) {

    /** Probes that must agree when the platform does not say down. */
    public static final int AGREEING_PROBES = 2;

    /**
     * @param platformDown   the platform reports the host down (a failure signal)
     * @param platformStatus the platform's status, as it spells it
     * @param platformAt     when the platform's state was observed
     * @param probes         the probes' current readings (no PLATFORM kind)
     */
    public static HostVerdict of(boolean platformDown, String platformStatus, Instant platformAt,
                                 Collection<Evidence> probes) {
        List<Evidence> down = probes.stream().filter(e -> e.reading() == Evidence.Reading.DOWN)
                .sorted(Comparator.comparing(Evidence::since)).toList();
        boolean anyUp = probes.stream().anyMatch(e -> e.reading() == Evidence.Reading.UP);
        List<String> parts = new ArrayList<>();
        if (platformDown) {
            parts.add("platform reports " + platformStatus);
        }
        down.forEach(e -> parts.add(describe(e)));
        if (platformDown) {
            Instant first = down.isEmpty() || platformAt.isBefore(down.get(0).since()) ? platformAt
                    : down.get(0).since();
            return new HostVerdict(true, false, String.join("; ", parts), first);
        }
        if (down.size() >= AGREEING_PROBES) {
            return new HostVerdict(true, false, down.size() + " independent probes agree: " + String.join("; ", parts),
                    down.get(0).since());
        }
        boolean clear = down.isEmpty() && (anyUp || probes.isEmpty());
        String reason = down.isEmpty() ? "platform reports " + platformStatus + " and no probe says down"
                : "only one probe says down (" + describe(down.get(0)) + "): " + AGREEING_PROBES + " must agree";
        return new HostVerdict(false, clear, reason, down.isEmpty() ? null : down.get(0).since());
    }

    private static String describe(Evidence e) {
        return e.kind().name().toLowerCase(java.util.Locale.ROOT) + ": " + e.detail();
    }
}
