package io.lifeboat.simulator.openstack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Nova's JSON views of servers, services, hypervisors, migrations and flavors, per microversion (wire-formats.md A). */
final class NovaJson {

    static final ObjectMapper JSON = new ObjectMapper();
    /** Nova's server timestamps ({@code created}, {@code updated}): ISO 8601 with Z, no fraction. */
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);
    /** The DB datetime form ({@code launched_at}, service {@code updated_at}): microseconds, no zone. */
    private static final DateTimeFormatter DB = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS")
            .withZone(ZoneOffset.UTC);

    private NovaJson() {
    }

    static String iso(Instant t) {
        return t == null ? null : ISO.format(t);
    }

    static String db(Instant t) {
        return t == null ? null : DB.format(t);
    }

    static ObjectNode server(OpenStackRegion r, NovaServer s, Microversion v, String computeBase) {
        ObjectNode o = JSON.createObjectNode();
        Instant now = r.now();
        NovaService host = r.service(s.host).orElse(null);
        o.put("id", s.id).put("name", s.name).put("status", s.status()).put("tenant_id", s.projectId)
                .put("user_id", s.userId);
        ObjectNode md = o.putObject("metadata");
        s.metadata.forEach(md::put);
        o.put("hostId", s.host == null ? "" : sha224(s.projectId + s.host));
        if (s.imageId != null) {
            ObjectNode img = o.putObject("image");
            img.put("id", s.imageId);
            img.putArray("links").addObject().put("rel", "bookmark").put("href", computeBase.replace("/v2.1", "")
                    + "/images/" + s.imageId);
        } else {
            o.put("image", "");
        }
        NovaFlavor f = r.flavor(s.flavorId).orElse(null);
        ObjectNode flavor = o.putObject("flavor");
        if (v.atLeast(47) && f != null) {
            // 2.47+: the flavor is embedded, without id (openstack4j's getFlavor() then fails: toolchain.md).
            flavor.put("vcpus", f.vcpus()).put("ram", f.ramMb()).put("disk", f.diskGb()).put("ephemeral", 0)
                    .put("swap", 0).put("original_name", f.name());
            ObjectNode es = flavor.putObject("extra_specs");
            f.extraSpecs().forEach(es::put);
        } else {
            flavor.put("id", s.flavorId);
            flavor.putArray("links").addObject().put("rel", "bookmark").put("href",
                    computeBase.replace("/v2.1", "") + "/flavors/" + s.flavorId);
        }
        o.put("created", iso(s.createdAt)).put("updated", iso(s.updatedAt));
        ObjectNode addresses = o.putObject("addresses");
        int macNo = 0;
        for (Map.Entry<String, List<String>> net : s.addresses.entrySet()) {
            ArrayNode list = addresses.putArray(net.getKey());
            for (String ip : net.getValue()) {
                list.addObject().put("version", ip.contains(":") ? 6 : 4).put("addr", ip)
                        .put("OS-EXT-IPS:type", "fixed")
                        .put("OS-EXT-IPS-MAC:mac_addr", String.format("fa:16:3e:%s:%02x", s.id.substring(0, 2) + ":"
                                + s.id.substring(2, 4), macNo++));
            }
        }
        o.put("accessIPv4", "").put("accessIPv6", "");
        o.putArray("links").addObject().put("rel", "self").put("href", computeBase + "/servers/" + s.id);
        o.put("OS-DCF:diskConfig", "MANUAL");
        // No host: the instance's own zone (shelved offloaded), or "" when it was never scheduled.
        o.put("OS-EXT-AZ:availability_zone", host != null ? host.zone
                : s.availabilityZone == null ? "" : s.availabilityZone);
        o.put("config_drive", "");
        o.putNull("key_name");
        o.put("OS-SRV-USG:launched_at", db(s.launchedAt));
        if (s.deleted) {
            o.put("OS-SRV-USG:terminated_at", db(s.deletedAt));
        } else {
            o.putNull("OS-SRV-USG:terminated_at");
        }
        o.putArray("security_groups").addObject().put("name", "default");
        o.put("OS-EXT-SRV-ATTR:host", s.host);
        o.put("OS-EXT-SRV-ATTR:instance_name", s.instanceName);
        o.put("OS-EXT-SRV-ATTR:hypervisor_hostname", host == null ? null : host.hypervisorHostname);
        o.put("OS-EXT-STS:task_state", s.taskState);
        o.put("OS-EXT-STS:vm_state", s.vmState);
        o.put("OS-EXT-STS:power_state", s.powerState);
        ArrayNode vols = o.putArray("os-extended-volumes:volumes_attached");
        for (String vol : s.volumeIds) {
            ObjectNode va = vols.addObject().put("id", vol);
            if (v.atLeast(3)) {
                va.put("delete_on_termination", false);
            }
        }
        if (v.atLeast(3)) {
            o.put("OS-EXT-SRV-ATTR:hostname", s.name).put("OS-EXT-SRV-ATTR:reservation_id", "r-" + s.id.substring(0, 8))
                    .put("OS-EXT-SRV-ATTR:launch_index", 0).put("OS-EXT-SRV-ATTR:root_device_name", "/dev/vda");
        }
        if (v.atLeast(9)) {
            o.put("locked", false);
        }
        if (v.atLeast(16)) {
            o.put("host_status", host == null ? "" : host.hostStatus(now, r.serviceDownTime()));
        }
        if (v.atLeast(19)) {
            o.putNull("description");
        }
        if (v.atLeast(26)) {
            ArrayNode tags = o.putArray("tags");
            s.tags.forEach(tags::add);
        }
        if ("error".equals(s.vmState) && s.lastFault != null) {
            o.putObject("fault").put("code", 500).put("created", iso(s.updatedAt)).put("message", s.lastFault);
        }
        if ("ACTIVE".equals(s.status()) || "BUILD".equals(s.status())) {
            o.put("progress", 0);
        }
        return o;
    }

    static ObjectNode service(OpenStackRegion r, NovaService s, Microversion v) {
        ObjectNode o = JSON.createObjectNode();
        if (v.atLeast(53)) {
            o.put("id", s.uuid);
        } else {
            o.put("id", s.intId);
        }
        o.put("binary", "nova-compute").put("host", s.host).put("zone", s.zone).put("status", s.status)
                .put("state", s.state(r.now(), r.serviceDownTime()))
                .put("updated_at", db(s.updatedAt(r.now())));
        o.put("disabled_reason", s.disabledReason);
        if (v.atLeast(11)) {
            o.put("forced_down", s.forcedDown);
        }
        return o;
    }

    static ObjectNode hypervisor(OpenStackRegion r, NovaService s, Microversion v, boolean detail,
                                 boolean withServers) {
        ObjectNode o = JSON.createObjectNode();
        if (v.atLeast(53)) {
            o.put("id", s.hypervisorUuid);
        } else {
            o.put("id", s.hypervisorIntId);
        }
        o.put("hypervisor_hostname", s.hypervisorHostname).put("state", s.state(r.now(), r.serviceDownTime()))
                .put("status", s.status);
        List<NovaServer> servers = r.serversOn(s.host);
        if (detail) {
            o.put("hypervisor_type", "QEMU").put("hypervisor_version", 8002000).put("host_ip", s.managementAddress);
            ObjectNode svc = o.putObject("service");
            svc.put("host", s.host).put("disabled_reason", s.disabledReason);
            if (v.atLeast(53)) {
                svc.put("id", s.uuid);
            } else {
                svc.put("id", s.intId);
            }
            if (!v.atLeast(88)) {
                // memory_mb_used counts reserved_host_memory_mb (research: resource_tracker); free_ram_mb ignores
                // the allocation ratio.
                OpenStackRegion.Usage u = r.usage(s.host);
                long ramUsed = OpenStackRegion.RESERVED_HOST_MEMORY_MB + u.ramMb();
                o.put("vcpus", s.vcpus).put("vcpus_used", u.vcpus()).put("memory_mb", s.memoryMb)
                        .put("memory_mb_used", ramUsed).put("free_ram_mb", s.memoryMb - ramUsed).put("local_gb", 2000)
                        .put("local_gb_used", 0).put("free_disk_gb", 2000).put("disk_available_least", 1900)
                        .put("current_workload", 0).put("running_vms", u.instances());
            } else {
                o.put("uptime", " 10:00:00 up 42 days");
            }
        }
        if (withServers && !servers.isEmpty()) {
            ArrayNode list = o.putArray("servers");
            for (NovaServer x : servers) {
                list.addObject().put("name", x.instanceName).put("uuid", x.id);
            }
        }
        return o;
    }

    static ObjectNode migration(NovaMigration m, Microversion v) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", m.id);
        if (v.atLeast(59)) {
            o.put("uuid", m.uuid);
        }
        o.put("instance_uuid", m.serverId).put("source_compute", m.sourceCompute).put("dest_compute", m.destCompute)
                .put("status", m.status).put("migration_type", m.migrationType)
                .put("created_at", db(m.createdAt)).put("updated_at", db(m.updatedAt));
        return o;
    }

    static ObjectNode flavor(NovaFlavor f, Microversion v, String computeBase) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", f.id()).put("name", f.name()).put("ram", f.ramMb()).put("vcpus", f.vcpus()).put("disk", f.diskGb())
                .put("swap", v.atLeast(75) ? 0 : 0).put("OS-FLV-EXT-DATA:ephemeral", 0)
                .put("OS-FLV-DISABLED:disabled", false).put("os-flavor-access:is_public", true)
                .put("rxtx_factor", 1.0);
        if (v.atLeast(61)) {
            ObjectNode es = o.putObject("extra_specs");
            f.extraSpecs().forEach(es::put);
        }
        o.putArray("links").addObject().put("rel", "self").put("href", computeBase + "/flavors/" + f.id());
        return o;
    }

    static String sha224(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-224")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            return Integer.toHexString(s.hashCode());
        }
    }
}
