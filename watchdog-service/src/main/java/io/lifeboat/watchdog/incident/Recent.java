package io.lifeboat.watchdog.incident;

import io.lifeboat.common.incident.IncidentKind;
import io.lifeboat.watchdog.inventory.VmRef;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The recent incidents of a batch's guests, read once (by VM, and by hypervisor and domain for guests the inventory
 * does not know), plus those the batch starts: the lookups the correlation makes, answered in memory.
 */
final class Recent {

    /** By VM key, and by hypervisor and domain UUID or name; an incident changed in the batch is indexed again. */
    private final Map<String, Set<Incident>> byVm = new HashMap<>();
    private final Map<String, Set<Incident>> byUuid = new HashMap<>();
    private final Map<String, Set<Incident>> byName = new HashMap<>();

    private Recent(List<Incident> incidents) {
        incidents.forEach(this::add);
    }

    static Recent load(org.hibernate.Session session, Guests guests, List<RawEvent> events, Instant since) {
        Set<String> vmKeys = new LinkedHashSet<>();
        Set<String> hypervisors = new LinkedHashSet<>();
        Set<String> uuids = new LinkedHashSet<>();
        Set<String> names = new LinkedHashSet<>();
        for (RawEvent r : events) {
            var e = r.event();
            guests.resolve(e.domainUuid(), e.domainName(), e.hypervisor()).ifPresent(v -> vmKeys.add(v.vmKey));
            hypervisors.add(e.hypervisor());
            if (e.domainUuid() != null) {
                uuids.add(e.domainUuid().toLowerCase(Locale.ROOT));
            }
            if (e.domainName() != null) {
                names.add(e.domainName());
            }
        }
        return new Recent(session.doReturningWork(c -> IncidentRows.recent(c, vmKeys, hypervisors, uuids, names,
                since)));
    }

    /** Indexes an incident under its current VM and domain (again after they changed; lookups re-check them). */
    void add(Incident i) {
        if (i.vmKey != null) {
            byVm.computeIfAbsent(i.vmKey, k -> Collections.newSetFromMap(new IdentityHashMap<>())).add(i);
        }
        if (i.domainUuid != null) {
            byUuid.computeIfAbsent(key(i.hypervisor, i.domainUuid), k -> Collections.newSetFromMap(
                    new IdentityHashMap<>())).add(i);
        }
        if (i.domainName != null) {
            byName.computeIfAbsent(key(i.hypervisor, i.domainName), k -> Collections.newSetFromMap(
                    new IdentityHashMap<>())).add(i);
        }
    }

    private static String key(String hypervisor, String domain) {
        return hypervisor + "\u0000" + domain;
    }

    private Stream<Incident> guest(Optional<VmRef> vm, String hypervisor, String uuid, String name) {
        if (vm.isPresent()) {
            return byVm.getOrDefault(vm.get().vmKey, Set.of()).stream();
        }
        Stream<Incident> s = Stream.empty();
        if (uuid != null) {
            s = Stream.concat(s, byUuid.getOrDefault(key(hypervisor, uuid), Set.of()).stream());
        }
        if (name != null) {
            s = Stream.concat(s, byName.getOrDefault(key(hypervisor, name), Set.of()).stream());
        }
        return s.distinct();
    }

    /** The guest's most recent incident of these kinds seen since then: by VM when known, else by domain. */
    Optional<Incident> latest(Optional<VmRef> vm, String hypervisor, String domainUuid, String domainName,
                              Set<IncidentKind> kinds, Instant since) {
        String uuid = domainUuid == null ? null : domainUuid.toLowerCase(Locale.ROOT);
        return guest(vm, hypervisor, uuid, domainName)
                .filter(i -> kinds.contains(i.kind) && !i.lastSeenAt.isBefore(since))
                .filter(i -> vm.isPresent() ? vm.get().vmKey.equals(i.vmKey)
                        : hypervisor.equals(i.hypervisor) && ((uuid != null && uuid.equals(i.domainUuid))
                        || (domainName != null && domainName.equals(i.domainName))))
                .max(Comparator.comparing((Incident i) -> i.lastSeenAt));
    }

    /** The guest's crashes since then, which may make a crash loop. */
    List<Incident> crashes(Optional<VmRef> vm, Incident latest, Instant since) {
        return guest(vm, latest.hypervisor, latest.domainUuid, latest.domainUuid == null ? latest.domainName : null)
                .filter(i -> Classification.CRASHES.contains(i.kind))
                .filter(i -> vm.isPresent()
                        ? vm.get().vmKey.equals(i.vmKey) && !i.firstSeenAt.isBefore(since)
                        : latest.hypervisor.equals(i.hypervisor) && !i.lastSeenAt.isBefore(since)
                        && (latest.domainUuid != null ? latest.domainUuid.equals(i.domainUuid)
                        : latest.domainName != null && latest.domainName.equals(i.domainName)))
                .toList();
    }
}
