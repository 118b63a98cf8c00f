package io.lifeboat.watchdog.hypervisor;

import io.lifeboat.watchdog.incident.IncidentCorrelator;
import io.lifeboat.watchdog.inventory.VmRef;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Each hypervisor's domains (from its libvirt connection or an agent's listing), and the deferred-delete leftovers
 * among them: domains whose VM the inventory shows deleted, or soft-deleted past its reclaim time (Nova's reclaim can
 * leave the domain behind, DESIGN.md problem 3).
 */
@ApplicationScoped
public class DomainInventory {

    private static final Pattern UUID = Pattern.compile(
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

    @Inject
    IncidentCorrelator correlator;

    /** A domain as listed: UUID and/or name, and its state when known; plus what its XML says, when read. */
    public record Seen(String uuid, String name, String state, String watchdogModel, String watchdogAction,
                       Boolean panic) {
    }

    /** A leftover domain, for the report. */
    public record Leftover(String hypervisor, String domainUuid, String domainName, String domainState,
                           String vm, String vmName, String source, String reason, String novaState,
                           Instant deletedAt, Instant reclaimAt, Instant firstSeenAt, long ageSeconds) {
    }

    /**
     * Parses an agent's listing, one domain per line: {@code <uuid> <name> [state]}, {@code <name>} or
     * {@code <uuid>} (as {@code virsh list --all --uuid --name} prints, joined).
     *
     * @throws IllegalArgumentException naming the first bad line
     */
    public static List<Seen> parseListing(String body) {
        List<Seen> out = new ArrayList<>();
        String[] lines = body == null ? new String[0] : body.split("\\R");
        for (int n = 0; n < lines.length; n++) {
            String l = lines[n].strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] p = l.split("\\s+");
            if (p.length > 3) {
                throw new IllegalArgumentException("line " + (n + 1) + ": expected '<uuid> <name> [state]', got '"
                        + shown(l) + "'");
            }
            for (String token : p) {
                String problem = io.lifeboat.service.rest.InputGuard.problem(token);
                if (problem != null) {
                    throw new IllegalArgumentException("line " + (n + 1) + ": '" + shown(token) + "' " + problem);
                }
            }
            if (UUID.matcher(p[0]).matches()) {
                out.add(new Seen(p[0].toLowerCase(), p.length > 1 ? p[1] : null, p.length > 2 ? p[2] : null, null,
                        null, null));
            } else if (p.length == 1) {
                out.add(new Seen(null, p[0], null, null, null, null));
            } else {
                throw new IllegalArgumentException("line " + (n + 1) + ": '" + shown(p[0]) + "' is not a domain UUID");
            }
        }
        return out;
    }

    private static String shown(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }

    /** Replaces what is known of the hypervisor's domains with this listing; updates the VMs' XML facts. */
    @Transactional
    public int replace(String hypervisor, List<Seen> domains, String via) {
        Instant now = Instant.now();
        Map<String, HypervisorDomain> known = new HashMap<>();
        HypervisorDomain.<HypervisorDomain>list("key.hypervisor", hypervisor).forEach(d -> known.put(d.key.domainKey,
                d));
        Set<String> listed = domains.stream().map(DomainInventory::key).collect(Collectors.toSet());
        known.values().stream().filter(d -> !listed.contains(d.key.domainKey)).forEach(HypervisorDomain::delete);
        for (Seen s : domains) {
            HypervisorDomain d = known.get(key(s));
            if (d == null) {
                d = new HypervisorDomain();
                d.key = new HypervisorDomain.Key(hypervisor, key(s));
                d.firstSeenAt = now;
            }
            d.domainUuid = s.uuid();
            d.domainName = s.name();
            d.state = s.state();
            d.lastSeenAt = now;
            d.via = via;
            d.persist();
            if (s.watchdogAction() != null || s.panic() != null) {
                Optional<VmRef> vm = correlator.resolve(s.uuid(), s.name(), hypervisor);
                vm.ifPresent(v -> {
                    v.xmlWatchdogModel = s.watchdogModel();
                    v.xmlWatchdogAction = s.watchdogAction();
                    v.xmlPanic = s.panic();
                    v.xmlCheckedAt = now;
                });
            }
        }
        return domains.size();
    }

    private static String key(Seen s) {
        return s.uuid() != null ? s.uuid() : s.name();
    }

    /** The leftovers now, on every hypervisor (or one). */
    @Transactional
    public List<Leftover> leftovers(String hypervisor) {
        Instant now = Instant.now();
        List<HypervisorDomain> domains = hypervisor == null ? HypervisorDomain.listAll()
                : HypervisorDomain.list("key.hypervisor", hypervisor);
        List<Leftover> out = new ArrayList<>();
        for (HypervisorDomain d : domains) {
            VmRef v = find(d);
            if (v == null) {
                continue;   // not a VM of a collected source: not ours to judge
            }
            String reason = null;
            if (v.removed || "DELETED".equals(v.deletionState)) {
                reason = "the VM is deleted, the domain is still on the hypervisor";
            } else if ("SOFT_DELETED".equals(v.deletionState) && v.reclaimAt != null && now.isAfter(v.reclaimAt)) {
                reason = "soft-deleted and past its reclaim time (" + v.reclaimAt + "), the domain is still there";
            }
            if (reason != null) {
                Instant since = v.deletedAt != null ? v.deletedAt : d.firstSeenAt;
                out.add(new Leftover(d.key.hypervisor, d.domainUuid, d.domainName, d.state, v.vmKey, v.name,
                        v.sourceId, reason, v.removed ? "deleted" : v.deletionState.toLowerCase(), v.deletedAt,
                        v.reclaimAt, d.firstSeenAt, Duration.between(since, now).toSeconds()));
            }
        }
        return out;
    }

    /** The VM of a listed domain, removed ones included (that is the point). */
    private static VmRef find(HypervisorDomain d) {
        if (d.domainUuid != null) {
            List<VmRef> l = VmRef.list("lower(vmId) = ?1", d.domainUuid.toLowerCase());
            if (!l.isEmpty()) {
                return l.get(0);
            }
        }
        if (d.domainName != null) {
            List<VmRef> l = VmRef.list("domainName = ?1", d.domainName);
            if (l.size() == 1) {
                return l.get(0);
            }
            return l.stream().filter(v -> d.key.hypervisor.equalsIgnoreCase(v.hostName)).findFirst().orElse(null);
        }
        return null;
    }
}
