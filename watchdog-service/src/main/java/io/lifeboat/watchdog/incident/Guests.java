package io.lifeboat.watchdog.incident;

import io.lifeboat.common.libvirt.LibvirtRawEvent;
import io.lifeboat.watchdog.inventory.VmRef;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The inventory VMs that the domains of a batch may be: read in one query, then resolved in memory. A domain is its
 * VM by UUID (the Nova instance UUID or the oVirt VM id), else by domain name; a name that several VMs share (two
 * regions' instance-0000a001) counts only on the VM's own hypervisor.
 */
final class Guests {

    private final Map<String, List<VmRef>> byUuid = new HashMap<>();
    private final Map<String, List<VmRef>> byName = new HashMap<>();

    private Guests(List<VmRef> refs) {
        for (VmRef v : refs) {
            byUuid.computeIfAbsent(v.vmId.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(v);
            byName.computeIfAbsent(v.domainName, k -> new ArrayList<>()).add(v);
        }
    }

    /** The batch's guests, read with one statement (array parameters) outside the ORM. */
    static Guests load(org.hibernate.Session session, List<LibvirtRawEvent> events) {
        Set<String> uuids = new LinkedHashSet<>();
        Set<String> names = new LinkedHashSet<>();
        for (LibvirtRawEvent e : events) {
            if (e.domainUuid() != null) {
                uuids.add(e.domainUuid().toLowerCase(Locale.ROOT));
            }
            if (e.domainName() != null) {
                names.add(e.domainName());
            }
        }
        if (uuids.isEmpty() && names.isEmpty()) {
            return new Guests(List.of());
        }
        return new Guests(session.doReturningWork(c -> IncidentRows.refs(c, uuids, names)));
    }

    /** One guest's candidates, through the ORM (which first writes what the transaction changed). */
    static Guests load(String uuid, String name) {
        return load(uuid == null ? Set.of() : Set.of(uuid.toLowerCase(Locale.ROOT)),
                name == null ? Set.of() : Set.of(name));
    }

    private static Guests load(Set<String> uuids, Set<String> names) {
        List<VmRef> refs = new ArrayList<>();
        if (!uuids.isEmpty()) {
            refs.addAll(VmRef.list("removed = false and lower(vmId) in ?1", uuids));
        }
        if (!names.isEmpty()) {
            refs.addAll(VmRef.list("removed = false and domainName in ?1", names));
        }
        return new Guests(refs.stream().distinct().toList());
    }

    Optional<VmRef> resolve(String uuid, String name, String hypervisor) {
        if (uuid != null) {
            List<VmRef> byId = byUuid.getOrDefault(uuid.toLowerCase(Locale.ROOT), List.of());
            if (byId.size() == 1) {
                return Optional.of(byId.get(0));
            }
        }
        if (name != null) {
            List<VmRef> named = byName.getOrDefault(name, List.of());
            if (named.size() == 1) {
                return Optional.of(named.get(0));
            }
            return named.stream().filter(v -> sameHost(v.hostName, hypervisor)).findFirst();
        }
        return Optional.empty();
    }

    /** "cmp-a03" and "cmp-a03.dc1.example" are the same hypervisor. */
    static boolean sameHost(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        String x = a.toLowerCase(Locale.ROOT);
        String y = b.toLowerCase(Locale.ROOT);
        return x.equals(y) || x.startsWith(y + ".") || y.startsWith(x + ".");
    }
}
