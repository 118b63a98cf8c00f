package io.lifeboat.simulator.ovirt;

import java.util.Set;

/**
 * Writes the engine's objects as the v4 API shows them (wire-formats.md D.3-D.5; element names checked against the
 * SDK's Xml*Reader classes). Hrefs start with the engine's API path so that the SDK's {@code followLink} works.
 */
final class OvirtRenderer {

    private final OvirtEngine engine;
    private final String base;

    OvirtRenderer(OvirtEngine engine, String base) {
        this.engine = engine;
        this.base = base;
    }

    /** Which sub-collections to inline: {@code follow=disk_attachments.disk,nics,reported_devices}. */
    record Follow(boolean diskAttachments, boolean disks, boolean nics, boolean reportedDevices,
                  boolean watchdogs) {
        static Follow parse(String follow) {
            Set<String> paths = follow == null ? Set.of() : Set.of(follow.replace(" ", "").split(","));
            boolean disks = paths.contains("disk_attachments.disk");
            return new Follow(disks || paths.contains("disk_attachments"), disks, paths.contains("nics"),
                    paths.contains("reported_devices"), paths.contains("watchdogs"));
        }
    }

    void api(OvirtDoc d) {
        d.begin("api", null, null);
        d.link("vms", base + "/vms").link("hosts", base + "/hosts").link("clusters", base + "/clusters")
                .link("datacenters", base + "/datacenters").link("storagedomains", base + "/storagedomains")
                .link("disks", base + "/disks").link("events", base + "/events");
        d.begin("product_info", null, null).text("name", "oVirt Engine").text("vendor", "ovirt.org");
        d.begin("version", null, null).text("build", 0).text("full_version", "4.5.6-lifeboat-simulator")
                .text("major", 4).text("minor", 5).text("revision", 0).end();
        d.end();
        d.begin("summary", null, null);
        d.begin("hosts", null, null).text("active", engine.hosts().stream().filter(OvHost::schedulable).count())
                .text("total", engine.hosts().size()).end();
        d.begin("vms", null, null).text("active", engine.vms().stream().filter(v -> "up".equals(v.status)).count())
                .text("total", engine.vms().size()).end();
        d.end();
        d.date("time", engine.now());
        d.end();
    }

    void vm(OvirtDoc d, OvVm vm, Follow f) {
        String href = base + "/vms/" + vm.id;
        d.begin("vm", vm.id, href);
        d.link("diskattachments", href + "/diskattachments").link("nics", href + "/nics")
                .link("reporteddevices", href + "/reporteddevices").link("watchdogs", href + "/watchdogs")
                .link("numanodes", href + "/numanodes");
        d.text("name", vm.name);
        d.text("status", vm.status);
        d.text("status_detail", vm.statusDetail);
        d.text("stop_reason", vm.stopReason);
        d.date("start_time", vm.startTime);
        d.date("stop_time", vm.stopTime);
        d.text("memory", vm.memoryBytes);
        d.begin("cpu", null, null).text("architecture", "x86_64");
        d.begin("topology", null, null).text("cores", vm.cores).text("sockets", vm.sockets)
                .text("threads", vm.threads).end();
        d.end();
        d.begin("high_availability", null, null).text("enabled", vm.haEnabled).text("priority", vm.haPriority).end();
        d.begin("placement_policy", null, null).text("affinity", vm.affinity);
        if (!vm.pinnedHostIds.isEmpty()) {
            d.beginList("hosts", "host");
            for (String h : vm.pinnedHostIds) {
                d.ref("host", h, base + "/hosts/" + h);
            }
            d.endList();
        }
        d.end();
        d.text("storage_error_resume_behaviour", vm.storageErrorResume);
        d.text("type", "server");
        d.ref("cluster", vm.clusterId, base + "/clusters/" + vm.clusterId);
        d.ref("host", vm.hostId, base + "/hosts/" + vm.hostId);
        if (f.diskAttachments()) {
            d.beginList("disk_attachments", "disk_attachment");
            for (OvDiskAttachment da : vm.disks) {
                diskAttachment(d, vm, da, f.disks());
            }
            d.endList();
        }
        if (f.nics()) {
            nics(d, vm);
        }
        if (f.reportedDevices()) {
            reportedDevices(d, vm);
        }
        if (f.watchdogs()) {
            watchdogs(d, vm);
        }
        d.end();
    }

    /**
     * {@code GET /vms/{id}/numanodes}: the guest's virtual NUMA nodes, each with its index, its share of the memory
     * (MiB) and of the vCPUs (wire shape of the engine's VirtualNumaNode; no follow can inline them).
     */
    void numaNodes(OvirtDoc d, OvVm vm) {
        d.beginList("vm_numa_nodes", "vm_numa_node");
        int vcpus = vm.sockets * vm.cores * vm.threads;
        for (int i = 0; i < vm.numaNodes; i++) {
            String id = String.format("%s-n%d", vm.id.substring(0, 8), i);
            d.begin("vm_numa_node", id, base + "/vms/" + vm.id + "/numanodes/" + id);
            d.begin("cpu", null, null).beginList("cores", "core");
            for (int c = i * vcpus / vm.numaNodes; c < (i + 1) * vcpus / vm.numaNodes; c++) {
                d.begin("core", null, null).text("index", c).end();
            }
            d.endList().end();
            d.text("index", i).text("memory", (vm.memoryBytes >> 20) / vm.numaNodes);
            d.beginList("numa_node_pins", "numa_node_pin").endList();
            d.ref("vm", vm.id, base + "/vms/" + vm.id);
            d.end();
        }
        d.endList();
    }

    void watchdogs(OvirtDoc d, OvVm vm) {
        d.beginList("watchdogs", "watchdog");
        if (vm.watchdogModel != null) {
            String id = "wd-" + vm.id.substring(0, 8);
            d.begin("watchdog", id, base + "/vms/" + vm.id + "/watchdogs/" + id)
                    .text("action", vm.watchdogAction).text("model", vm.watchdogModel)
                    .ref("vm", vm.id, base + "/vms/" + vm.id).end();
        }
        d.endList();
    }

    void diskAttachment(OvirtDoc d, OvVm vm, OvDiskAttachment da, boolean followDisk) {
        d.begin("disk_attachment", da.disk().id, base + "/vms/" + vm.id + "/diskattachments/" + da.disk().id);
        d.text("active", da.active()).text("bootable", da.bootable()).text("interface", da.iface())
                .text("logical_name", da.logicalName()).text("pass_discard", false).text("read_only", false)
                .text("uses_scsi_reservation", false);
        if (followDisk) {
            disk(d, da.disk());
        } else {
            d.ref("disk", da.disk().id, base + "/disks/" + da.disk().id);
        }
        d.ref("vm", vm.id, base + "/vms/" + vm.id);
        d.end();
    }

    void disk(OvirtDoc d, OvDisk disk) {
        d.begin("disk", disk.id, base + "/disks/" + disk.id);
        d.text("alias", disk.alias).text("name", disk.alias).text("provisioned_size", disk.provisionedSize)
                .text("shareable", disk.shareable).text("status", disk.status).text("storage_type", disk.storageType);
        if (disk.storageDomainId != null) {
            d.text("actual_size", disk.provisionedSize / 4).text("format", "cow").text("sparse", true);
            d.beginList("storage_domains", "storage_domain");
            d.ref("storage_domain", disk.storageDomainId, base + "/storagedomains/" + disk.storageDomainId);
            d.endList();
        }
        if (disk.lun != null) {
            d.begin("lun_storage", disk.lun.wwid(), null).text("type", disk.lunStorageType);
            d.beginList("logical_units", "logical_unit");
            logicalUnit(d, disk.lun, "used");
            d.endList();
            d.end();
        }
        d.end();
    }

    private void logicalUnit(OvirtDoc d, OvLun lun, String status) {
        d.begin("logical_unit", lun.wwid(), null)
                .text("lun_mapping", lun.lunMapping()).text("paths", lun.paths()).text("product_id", lun.productId())
                .text("serial", lun.serial()).text("size", lun.sizeBytes()).text("status", status)
                .text("vendor_id", lun.vendorId())
                .end();
    }

    void nics(OvirtDoc d, OvVm vm) {
        d.beginList("nics", "nic");
        for (OvNic nic : vm.nics) {
            d.begin("nic", nic.id(), base + "/vms/" + vm.id + "/nics/" + nic.id());
            d.text("name", nic.name()).text("interface", "virtio").text("linked", true).text("plugged", true);
            d.begin("mac", null, null).text("address", nic.mac()).end();
            d.ref("vm", vm.id, base + "/vms/" + vm.id);
            d.end();
        }
        d.endList();
    }

    void reportedDevices(OvirtDoc d, OvVm vm) {
        d.beginList("reported_devices", "reported_device");
        // The guest agent reports addresses only while the guest runs.
        if ("up".equals(vm.status)) {
            for (OvNic nic : vm.nics) {
                String devId = Integer.toHexString(nic.name().hashCode()) + nic.id().substring(0, 8);
                d.begin("reported_device", devId, base + "/vms/" + vm.id + "/reporteddevices/" + devId);
                d.text("name", "eth" + vm.nics.indexOf(nic)).text("type", "network");
                d.begin("mac", null, null).text("address", nic.mac()).end();
                d.beginList("ips", "ip");
                for (String ip : nic.ips()) {
                    d.begin("ip", null, null).text("address", ip).text("version", ip.contains(":") ? "v6" : "v4")
                            .end();
                }
                d.endList();
                d.ref("vm", vm.id, base + "/vms/" + vm.id);
                d.end();
            }
        }
        d.endList();
    }

    void host(OvirtDoc d, OvHost h) {
        String href = base + "/hosts/" + h.id;
        d.begin("host", h.id, href);
        d.link("nics", href + "/nics").link("storages", href + "/storage").link("statistics", href + "/statistics");
        d.text("name", h.name).text("address", h.address).text("status", h.status)
                .text("status_detail", h.statusDetail).text("memory", h.memoryBytes).text("type", "rhel")
                .text("max_scheduling_memory", engine.maxSchedulingMb(h) << 20);
        d.begin("cpu", null, null).begin("topology", null, null).text("cores", h.cpuCores).text("sockets", 1)
                .text("threads", 1).end().end();
        d.begin("power_management", null, null).text("automatic_pm_enabled", h.powerManagementEnabled)
                .text("enabled", h.powerManagementEnabled).text("kdump_detection", true).end();
        d.begin("spm", null, null).text("priority", 5).text("status", "none").end();
        d.ref("cluster", h.clusterId, base + "/clusters/" + h.clusterId);
        d.end();
    }

    void cluster(OvirtDoc d, OvCluster c) {
        d.begin("cluster", c.id(), base + "/clusters/" + c.id());
        d.text("name", c.name());
        d.begin("version", null, null).text("major", 4).text("minor", 7).end();
        d.ref("data_center", c.dataCenterId(), base + "/datacenters/" + c.dataCenterId());
        // The cluster's fencing policy (types/FencingPolicy.java): whether the engine fences non-responsive hosts.
        d.begin("fencing_policy", null, null).text("enabled", engine.engineFencing());
        d.begin("skip_if_connectivity_broken", null, null).text("enabled", false).text("threshold", 50).end();
        d.begin("skip_if_sd_active", null, null).text("enabled", false).end();
        d.end();
        d.end();
    }

    void dataCenter(OvirtDoc d, OvDataCenter dc) {
        String href = base + "/datacenters/" + dc.id();
        d.begin("data_center", dc.id(), href);
        d.link("clusters", href + "/clusters").link("storagedomains", href + "/storagedomains");
        d.text("name", dc.name()).text("local", false).text("status", "up");
        d.begin("version", null, null).text("major", 4).text("minor", 7).end();
        d.end();
    }

    void storageDomain(OvirtDoc d, OvStorageDomain sd) {
        String href = base + "/storagedomains/" + sd.id();
        d.begin("storage_domain", sd.id(), href);
        d.link("disks", href + "/disks");
        d.text("name", sd.name()).text("type", sd.type()).text("external_status", "ok").text("master", false);
        d.begin("storage", null, null).text("type", sd.storageType());
        if (sd.block()) {
            d.begin("volume_group", sd.volumeGroupId(), null);
            d.beginList("logical_units", "logical_unit");
            for (OvLun lun : sd.luns()) {
                logicalUnit(d, lun, "used");
            }
            d.endList();
            d.end();
        } else {
            d.text("address", "nfs.example").text("path", "/exports/" + sd.name());
        }
        d.end();
        d.beginList("data_centers", "data_center");
        d.ref("data_center", sd.dataCenterId(), base + "/datacenters/" + sd.dataCenterId());
        d.endList();
        d.end();
    }

    void event(OvirtDoc d, OvEvent e) {
        d.begin("event", Long.toString(e.id()), base + "/events/" + e.id());
        d.text("code", e.code()).text("custom_id", -1).text("description", e.description()).text("flood_rate", 30)
                .text("index", e.index()).text("origin", "oVirt").text("severity", e.severity());
        d.date("time", e.time());
        d.ref("cluster", e.clusterId(), base + "/clusters/" + e.clusterId());
        d.ref("host", e.hostId(), base + "/hosts/" + e.hostId());
        d.ref("vm", e.vmId(), base + "/vms/" + e.vmId());
        d.end();
    }

    void action(OvirtDoc d, String powerStatus) {
        d.begin("action", null, null);
        if (powerStatus != null) {
            d.begin("power_management", null, null).text("status", powerStatus).end();
        }
        d.text("status", "complete");
        d.end();
    }

    static void fault(OvirtDoc d, String reason, String detail) {
        d.begin("fault", null, null).text("reason", reason).text("detail", detail).end();
    }
}
