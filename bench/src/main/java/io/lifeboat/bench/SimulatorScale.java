package io.lifeboat.bench;

import org.openstack4j.api.OSClient.OSClientV3;
import org.openstack4j.model.common.Identifier;
import org.openstack4j.model.compute.Server;
import org.openstack4j.openstack.OSFactory;
import org.ovirt.engine.sdk4.Connection;
import org.ovirt.engine.sdk4.ConnectionBuilder;
import org.ovirt.engine.sdk4.types.Vm;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulator at the scale (1,000 hosts, over 20,000 VMs, 60,000 disks): generate it through the control
 * API, list every VM with its disks, NICs and guest IPs through the real oVirt SDK (one {@code follow=} call per
 * engine) and every server through openstack4j (pages of 1,000, Nova's max_limit), and report the simulator's heap.
 * Restores the demo topology at the end.
 */
final class SimulatorScale {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private SimulatorScale() {
    }

    static void run(String simulator) throws Exception {
        String scaleSpec = """
                {"seed":7,"ovirtEngines":2,"openstackRegions":2,"clustersPerSource":5,"hostsPerCluster":50,
                 "vmsPerHost":21,"disksPerVm":3,"directLunFraction":0.5,"sharedLunFraction":0.05,
                 "blockDomainsPerEngine":2,"haFraction":0.3,"pinnedFraction":0.1,"watchdogFraction":0.4,
                 "softDeletedFraction":0.05,"downFraction":0.1}""";
        long t0 = System.nanoTime();
        post(simulator + "/sim/v1/topology", scaleSpec);
        double generateSec = (System.nanoTime() - t0) / 1e9;
        try {
            measure(simulator, generateSec);
        } finally {
            post(simulator + "/sim/v1/topology", """
                    {"seed":42,"ovirtEngines":1,"openstackRegions":1,"clustersPerSource":1,"hostsPerCluster":5,
                     "vmsPerHost":10,"disksPerVm":3,"directLunFraction":0.5,"sharedLunFraction":0.1,
                     "blockDomainsPerEngine":1,"haFraction":0.3,"pinnedFraction":0.1,"watchdogFraction":0.4,
                     "softDeletedFraction":0.1,"downFraction":0.1}""");
        }
    }

    private static void measure(String simulator, double generateSec) throws Exception {
        System.gc();
        int ovirtVms = 0;
        int ovirtDisks = 0;
        int ovirtIps = 0;
        long t1 = System.nanoTime();
        for (String engine : List.of("ovirt-1", "ovirt-2")) {
            try (Connection c = ConnectionBuilder.connection()
                    .url(simulator + "/ovirt/" + engine + "/ovirt-engine/api")
                    .user("admin@internal").password("lifeboat").timeout(30).build()) {
                List<Vm> vms = c.systemService().vmsService().list()
                        .follow("disk_attachments.disk,nics,reported_devices").send().vms();
                ovirtVms += vms.size();
                for (Vm vm : vms) {
                    ovirtDisks += vm.diskAttachments().size();
                    ovirtIps += vm.reportedDevices().stream().mapToInt(d -> d.ips().size()).sum();
                }
            }
        }
        double ovirtSec = (System.nanoTime() - t1) / 1e9;

        int servers = 0;
        int pages = 0;
        long t2 = System.nanoTime();
        for (String region : List.of("openstack-1", "openstack-2")) {
            OSClientV3 os = OSFactory.builderV3().endpoint(simulator + "/openstack/" + region + "/identity/v3")
                    .credentials("admin", "lifeboat", Identifier.byName("Default"))
                    .scopeToProject(Identifier.byName("admin"), Identifier.byName("Default")).authenticate();
            String marker = null;
            while (true) {
                Map<String, String> q = new HashMap<>(Map.of("all_tenants", "1", "limit", "1000"));
                if (marker != null) {
                    q.put("marker", marker);
                }
                List<? extends Server> page = os.compute().servers().list(q);
                pages++;
                servers += page.size();
                if (page.size() < 1000) {
                    break;
                }
                marker = page.get(page.size() - 1).getId();
            }
        }
        double novaSec = (System.nanoTime() - t2) / 1e9;
        double heapMb = heapUsedMb(simulator);

        new BenchReport("simulator-scale")
                .parameter("hosts", 1000)
                .parameter("spec", "2 oVirt engines + 2 OpenStack regions, 5 clusters x 50 hosts, 21 VMs/host, 3 disks")
                .figure("generateSec", "generate the topology", generateSec, "s")
                .figure("ovirtVms", "oVirt VMs listed", ovirtVms, "VMs")
                .figure("ovirtDisks", "oVirt disks (followed)", ovirtDisks, "disks")
                .figure("ovirtGuestIps", "oVirt guest IPs (reported devices)", ovirtIps, "IPs")
                .figure("ovirtFollowListSec", "oVirt: full follow= listing, both engines, via SDK", ovirtSec, "s")
                .figure("novaServers", "Nova servers listed", servers, "servers")
                .figure("novaPages", "Nova pages (limit 1000)", pages, "calls")
                .figure("novaListSec", "Nova: paged servers/detail, both regions, via openstack4j", novaSec, "s")
                .figure("simulatorHeapMb", "simulator heap in use after listing", heapMb, "MB")
                .print();
    }

    private static void post(String url, String json) throws Exception {
        HttpResponse<String> r = HTTP.send(SimulatorToken.authorize(HttpRequest.newBuilder(URI.create(url)), url)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    private static double heapUsedMb(String simulator) throws Exception {
        String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(simulator + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        double bytes = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                bytes += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return bytes / 1e6;
    }
}
