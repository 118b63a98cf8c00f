package io.lifeboat.evacuation.fencing;

import java.util.ArrayList;
import java.util.List;

/** The exchanges with a BMC as the audit trail shows them. */
final class BmcExchanges {

    private BmcExchanges() {
    }

    /**
     * The exchanges in order, repeated PowerState reads folded ({@code GET → 200 On ×12}), so that the detail stays
     * short however long the wait.
     */
    static String summary(List<String> exchanges) {
        List<String> folded = new ArrayList<>();
        String last = null;
        int repeats = 0;
        for (String e : exchanges) {
            if (e.equals(last)) {
                repeats++;
                continue;
            }
            if (last != null) {
                folded.add(repeats > 1 ? last + " ×" + repeats : last);
            }
            last = e;
            repeats = 1;
        }
        if (last != null) {
            folded.add(repeats > 1 ? last + " ×" + repeats : last);
        }
        return "BMC exchanges: " + (folded.isEmpty() ? "none" : String.join(", ", folded));
    }
}
