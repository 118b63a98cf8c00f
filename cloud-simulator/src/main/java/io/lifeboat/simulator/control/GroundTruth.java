package io.lifeboat.simulator.control;

import io.lifeboat.simulator.openstack.NovaServer;
import io.lifeboat.simulator.openstack.NovaService;
import io.lifeboat.simulator.openstack.OpenStackRegion;
import io.lifeboat.simulator.ovirt.OvHost;
import io.lifeboat.simulator.ovirt.OvVm;
import io.lifeboat.simulator.ovirt.OvirtEngine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What really runs where, and each host's real condition, as {@code GET /sim/v1/sources/{source}/truth} answers it:
 * the expectations of the tests, read from the simulated world rather than through the emulated APIs.
 */
final class GroundTruth {

    private GroundTruth() {
    }

    static Map<String, Object> of(OvirtEngine e) {
        e.advance();
        synchronized (e) {
            List<Map<String, Object>> hosts = new ArrayList<>();
            for (OvHost h : e.hosts()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", h.id);
                m.put("name", h.name);
                m.put("sanHostName", h.sanHostName);
                m.put("address", h.address);
                m.put("engineStatus", h.status);
                m.put("poweredOn", h.poweredOn);
                m.put("bmcPowered", h.bmcPowered);
                m.put("storageReachable", h.storageReachable);
                m.put("networkReachable", h.networkReachable);
                m.put("powerManagementEnabled", h.powerManagementEnabled);
                m.put("memoryMb", h.memoryBytes >> 20);
                m.put("maxSchedulingMemoryMb", e.maxSchedulingMb(h));
                hosts.add(m);
            }
            List<Map<String, Object>> vms = new ArrayList<>();
            for (OvVm vm : e.vms()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", vm.id);
                m.put("name", vm.name);
                m.put("engineStatus", vm.status);
                m.put("engineHostId", vm.hostId);
                m.put("diskStatuses", vm.disks.stream().map(d -> d.disk().status).toList());
                m.put("runsOnHostId", e.truthHostOf(vm));
                m.put("lastHostId", vm.lastHostId);
                m.put("ha", vm.haEnabled);
                m.put("haPriority", vm.haPriority);
                m.put("memoryMb", vm.memoryBytes >> 20);
                m.put("vcpus", io.lifeboat.simulator.ovirt.EngineMemory.vcpus(vm));
                m.put("requiredMemoryMb", io.lifeboat.simulator.ovirt.EngineMemory.requiredMb(vm));
                m.put("pinned", vm.pinned());
                m.put("numaNodes", vm.numaNodes);
                m.put("pinnedHostIds", vm.pinnedHostIds);
                m.put("affinity", vm.affinity);
                m.put("lunWwids", vm.disks.stream().filter(d -> d.disk().lun != null)
                        .map(d -> d.disk().lun.wwid()).toList());
                vms.add(m);
            }
            List<Map<String, Object>> domains = new ArrayList<>();
            e.storageDomains().stream().filter(sd -> sd.block()).forEach(sd -> domains.add(Map.of("id", sd.id(),
                    "name", sd.name(), "lunWwids", sd.luns().stream().map(l -> l.wwid()).toList())));
            return Map.of("source", e.sourceId, "platform", "ovirt", "hosts", hosts, "vms", vms,
                    "blockStorageDomains", domains);
        }
    }

    static Map<String, Object> of(OpenStackRegion r) {
        synchronized (r) {
            Instant now = r.now();
            List<Map<String, Object>> hosts = new ArrayList<>();
            for (NovaService s : r.services()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("host", s.host);
                m.put("serviceId", s.uuid);
                m.put("sanHostName", s.sanHostName);
                m.put("address", s.managementAddress);
                m.put("serviceState", s.state(now, r.serviceDownTime()));
                m.put("serviceStatus", s.status);
                m.put("forcedDown", s.forcedDown);
                m.put("reserved", s.reserved);
                OpenStackRegion.Usage u = r.usage(s.host);
                m.put("vcpus", s.vcpus);
                m.put("memoryMb", s.memoryMb);
                m.put("vcpusUsed", u.vcpus());
                m.put("memoryMbUsed", u.ramMb());   // the instances' own, without reserved_host_memory_mb
                m.put("poweredOn", s.poweredOn);
                m.put("bmcPowered", s.bmcPowered);
                m.put("storageReachable", s.storageReachable);
                m.put("networkReachable", s.networkReachable);
                hosts.add(m);
            }
            Map<String, List<Map<String, Object>>> evacuations = new LinkedHashMap<>();
            for (var mig : r.migrations()) {
                if ("evacuation".equals(mig.migrationType)) {
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("from", mig.sourceCompute);
                    e.put("to", mig.destCompute);
                    e.put("status", mig.status);
                    e.put("createdAt", mig.createdAt.toString());
                    evacuations.computeIfAbsent(mig.serverId, k -> new ArrayList<>()).add(e);
                }
            }
            List<Map<String, Object>> servers = new ArrayList<>();
            for (NovaServer s : r.servers()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", s.id);
                m.put("name", s.name);
                m.put("vmState", s.vmState);
                m.put("taskState", s.taskState);
                m.put("powerState", s.powerState);
                m.put("status", s.status());
                m.put("host", s.host);
                m.put("availabilityZone", s.host != null ? r.service(s.host).map(h -> h.zone).orElse(null)
                        : s.availabilityZone == null ? "" : s.availabilityZone);
                m.put("running", s.running);
                m.put("deleted", s.deleted);
                m.put("metadata", s.metadata);
                m.put("tags", s.tags);
                m.put("flavorExtraSpecs", r.flavor(s.flavorId).map(f -> f.extraSpecs()).orElse(Map.of()));
                r.flavor(s.flavorId).ifPresent(f -> m.put("flavor", Map.of("name", f.name(), "vcpus", f.vcpus(),
                        "ram", f.ramMb())));
                // every evacuation of the server, in order: where from, where to (null: not placed), done or failed
                m.put("evacuations", evacuations.getOrDefault(s.id, List.of()));
                m.put("lunWwids", s.volumeIds.stream().map(v -> r.volume(v).map(vol -> vol.metadata.get("volume_wwn"))
                        .orElse(null)).filter(java.util.Objects::nonNull).map(u -> "3" + u.toLowerCase()).toList());
                servers.add(m);
            }
            return Map.of("source", r.sourceId, "platform", "openstack", "hosts", hosts, "servers", servers,
                    "leftoverDomains", r.leftoverDomains());
        }
    }
}
