package io.lifeboat.watchdog.ingest;

import io.lifeboat.service.rest.Problem;
import io.lifeboat.service.rest.ProblemException;
import io.lifeboat.watchdog.config.WatchdogConfig;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Which hypervisors the caller may post events and domain listings for. An operator: any. An agent: only those its
 * identity names — an OIDC token's {@code hypervisors} claim (a list, or one name; {@code lifeboat.watchdog.agent-claim}
 * to rename it), or for a built-in user {@code lifeboat.watchdog.agents.<user>} (names separated by commas, {@code *}
 * for all). An agent that names none may post nothing. So a compromised agent's credential cannot invent events, and
 * so guest incidents, for other hosts.
 */
@ApplicationScoped
public class AgentScope {

    static final String ALL = "*";

    @Inject
    SecurityIdentity identity;

    @Inject
    WatchdogConfig config;

    /** Refuses (403 {@code hypervisor-not-allowed}) unless the caller may post for every one of these hypervisors. */
    public void check(Collection<String> hypervisors) {
        if (identity.hasRole("operator")) {
            return;
        }
        Set<String> allowed = allowed();
        Set<String> refused = hypervisors.stream().map(h -> h.strip().toLowerCase(Locale.ROOT))
                .filter(h -> !allowed.contains(ALL) && !allowed.contains(h))
                .collect(Collectors.toCollection(TreeSet::new));
        if (!refused.isEmpty()) {
            String who = identity.getPrincipal() == null ? "the caller" : "'" + identity.getPrincipal().getName() + "'";
            throw new ProblemException(Problem.of("hypervisor-not-allowed", "Forbidden", 403, who
                    + " may post only for " + (allowed.isEmpty() ? "no hypervisor" : String.join(", ", allowed))
                    + ", not for " + String.join(", ", refused.stream().limit(10).toList())
                    + (refused.size() > 10 ? " (and " + (refused.size() - 10) + " more)" : "")));
        }
    }

    /** The hypervisors the caller's identity names, lower case; {@code *} for all. */
    Set<String> allowed() {
        Set<String> names = new TreeSet<>();
        if (identity.getPrincipal() instanceof JsonWebToken jwt) {
            Object claim = jwt.getClaim(config.agentClaim());
            if (claim instanceof JsonArray array) {
                array.forEach(v -> names.add(v instanceof JsonString s ? s.getString() : v.toString()));
            } else if (claim instanceof Collection<?> c) {
                c.forEach(v -> names.add(String.valueOf(v)));
            } else if (claim instanceof JsonString s) {
                names.addAll(split(s.getString()));
            } else if (claim != null) {
                names.addAll(split(claim.toString()));
            }
        } else if (identity.getPrincipal() != null) {
            String listed = config.agents().get(identity.getPrincipal().getName());
            if (listed != null) {
                names.addAll(split(listed));
            }
        }
        return names.stream().map(n -> n.strip().toLowerCase(Locale.ROOT)).filter(n -> !n.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Collection<String> split(String s) {
        return Arrays.asList(s.split("[,\\s]+"));
    }
}
