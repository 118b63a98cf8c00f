package io.lifeboat.watchdog.incident;

import io.lifeboat.common.incident.IncidentKind;
import io.lifeboat.watchdog.inventory.VmRef;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The recent incidents of a batch's guests, read once (by VM, and by hypervisor and domain for guests the inventory
 * does not know), plus those the batch starts: the lookups the correlation makes, answered in memory.
 */
final class Recent {

    private final List<Incident> incidents;

    private Recent(List<Incident> incidents) {
        this.incidents = new ArrayList<>(incidents);
    }

    static Recent load(Guests guests, List<RawEvent> events, Instant since) {
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
        List<Incident> found = new ArrayList<>();
        if (!vmKeys.isEmpty()) {
            found.addAll(Incident.list("lastSeenAt >= ?1 and vmKey in ?2", since, vmKeys));
        }
        // A superset (any of the hypervisors with any of the domains), narrowed in memory by each lookup.
        if (!uuids.isEmpty()) {
            found.addAll(Incident.list("lastSeenAt >= ?1 and hypervisor in ?2 and domainUuid in ?3", since,
                    hypervisors, uuids));
        }
        if (!names.isEmpty()) {
            found.addAll(Incident.list("lastSeenAt >= ?1 and hypervisor in ?2 and domainName in ?3", since,
                    hypervisors, names));
        }
        return new Recent(found.stream().distinct().toList());
    }

    void add(Incident i) {
        incidents.add(i);
    }

    /** The guest's most recent incident of these kinds seen since then: by VM when known, else by domain. */
    Optional<Incident> latest(Optional<VmRef> vm, String hypervisor, String domainUuid, String domainName,
                              Set<IncidentKind> kinds, Instant since) {
        String uuid = domainUuid == null ? null : domainUuid.toLowerCase(Locale.ROOT);
        return incidents.stream()
                .filter(i -> kinds.contains(i.kind) && !i.lastSeenAt.isBefore(since))
                .filter(i -> vm.isPresent() ? vm.get().vmKey.equals(i.vmKey)
                        : hypervisor.equals(i.hypervisor) && ((uuid != null && uuid.equals(i.domainUuid))
                        || (domainName != null && domainName.equals(i.domainName))))
                .max(Comparator.comparing((Incident i) -> i.lastSeenAt));
    }

    /** The guest's crashes since then, which may make a crash loop. */
    List<Incident> crashes(Optional<VmRef> vm, Incident latest, Instant since) {
        return incidents.stream()
                .filter(i -> Classification.CRASHES.contains(i.kind))
                .filter(i -> vm.isPresent()
                        ? vm.get().vmKey.equals(i.vmKey) && !i.firstSeenAt.isBefore(since)
                        : latest.hypervisor.equals(i.hypervisor) && !i.lastSeenAt.isBefore(since)
                        && (latest.domainUuid != null ? latest.domainUuid.equals(i.domainUuid)
                        : latest.domainName != null && latest.domainName.equals(i.domainName)))
                .toList();
    }
}
