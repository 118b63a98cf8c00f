package io.lifeboat.collector.source;

import io.lifeboat.common.id.SourceId;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Reads the items of one listing one at a time: an item whose mapping throws is skipped with its id and reason
 * ({@link SkippedItem}) and the others are kept. Real clouds return empty strings, nulls and states nobody planned for.
 */
public final class Items {

    private final SourceId source;
    private final List<SkippedItem> skipped = new ArrayList<>();

    public Items(SourceId source) {
        this.source = source;
    }

    /** Maps one item; on failure records it as skipped and returns false. */
    public <T> boolean read(String kind, String id, Supplier<T> mapping, Consumer<T> sink) {
        T mapped;
        try {
            mapped = mapping.get();
        } catch (RuntimeException e) {
            skip(kind, id, describe(e));
            return false;
        }
        sink.accept(mapped);
        return true;
    }

    public void skip(String kind, String id, String reason) {
        String cleanId = id == null || id.isBlank() ? null : id;
        String key = null;
        if (cleanId != null) {
            try {
                key = source.value() + "/" + cleanId;
                io.lifeboat.common.id.VmKey.parse(key);   // the same rules for every scoped key
            } catch (RuntimeException e) {
                key = null;   // an id that is no key: nothing known can stand for it
            }
        }
        skipped.add(new SkippedItem(kind, cleanId, key, reason));
    }

    public List<SkippedItem> skipped() {
        return List.copyOf(skipped);
    }

    /** Whether every skipped item of the kind has a key: then the listing is complete for all others. */
    public boolean allKeyed(String kind) {
        return skipped.stream().filter(s -> s.kind().equals(kind)).allMatch(s -> s.key() != null);
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        String text = e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m.strip());
        int nl = text.indexOf('\n');
        text = nl < 0 ? text : text.substring(0, nl);
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
