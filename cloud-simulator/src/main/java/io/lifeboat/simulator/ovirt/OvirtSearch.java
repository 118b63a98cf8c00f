package io.lifeboat.simulator.ovirt;

import io.lifeboat.simulator.world.SimulatedFault;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The subset of the oVirt search language the simulator understands: terms {@code field=value} or
 * {@code field!=value} joined by {@code and}, values with {@code *} wildcards, case-insensitive, plus
 * {@code page N} (with the {@code max} parameter as page size), e.g. {@code host=hv-01 and status=up page 2}.
 * Unknown fields are rejected the way the engine rejects them (400).
 */
final class OvirtSearch<T> {

    private static final Pattern TERM = Pattern.compile("\\s*([a-z_.]+)\\s*(!=|=)\\s*(\\S+)\\s*",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern PAGE = Pattern.compile("(?i)\\s*\\bpage\\s+(\\d+)\\s*$");

    private record Term(Function<Object, String> field, boolean negate, Pattern value) {
    }

    private final List<Term> terms = new ArrayList<>();
    private final int page;

    private OvirtSearch(List<Term> terms, int page) {
        this.terms.addAll(terms);
        this.page = page;
    }

    /**
     * @param fields the searchable fields of the collection: name → accessor
     */
    @SuppressWarnings("unchecked")
    static <T> OvirtSearch<T> parse(String query, java.util.Map<String, Function<T, String>> fields) {
        if (query == null || query.isBlank()) {
            return new OvirtSearch<>(List.of(), 1);
        }
        String q = query.strip();
        int page = 1;
        Matcher pm = PAGE.matcher(q);
        if (pm.find()) {
            page = Integer.parseInt(pm.group(1));
            q = q.substring(0, pm.start()).strip();
        }
        List<Term> terms = new ArrayList<>();
        if (!q.isEmpty()) {
            for (String part : q.split("(?i)\\s+and\\s+")) {
                Matcher m = TERM.matcher(part);
                if (!m.matches()) {
                    throw SimulatedFault.badRequest("Search query '" + query + "' is not valid: cannot parse '"
                            + part.strip() + "'.");
                }
                String name = m.group(1).toLowerCase(Locale.ROOT);
                Function<T, String> f = fields.get(name);
                if (f == null) {
                    throw SimulatedFault.badRequest("Search query '" + query + "' is not valid: unknown field '"
                            + name + "'. Valid fields: " + String.join(", ", fields.keySet()) + ".");
                }
                String glob = m.group(3);
                Pattern value = Pattern.compile(Pattern.quote(glob).replace("*", "\\E.*\\Q"),
                        Pattern.CASE_INSENSITIVE);
                terms.add(new Term((Function<Object, String>) (Function<?, String>) f, m.group(2).equals("!="), value));
            }
        }
        return new OvirtSearch<>(terms, page);
    }

    boolean matches(T item) {
        for (Term t : terms) {
            String v = t.field().apply(item);
            boolean hit = v != null && t.value().matcher(v).matches();
            if (hit == t.negate()) {
                return false;
            }
        }
        return true;
    }

    /** Filters, then cuts the requested page ({@code max} items per page; no max means everything). */
    List<T> apply(List<T> items, Integer max) {
        List<T> hits = items.stream().filter(this::matches).toList();
        if (max == null || max < 0) {
            return page > 1 ? List.of() : hits;
        }
        long from = (long) (page - 1) * max;
        if (from >= hits.size()) {
            return List.of();
        }
        return hits.subList((int) from, (int) Math.min(hits.size(), from + max));
    }
}
