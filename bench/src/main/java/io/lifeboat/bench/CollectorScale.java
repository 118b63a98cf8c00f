package io.lifeboat.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.lifeboat.common.json.Json;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;

/**
 * The collector over a 20,000-VM estate: the simulator is reshaped to 1 oVirt engine and 1 OpenStack region with
 * 500 hosts each (20,790 VMs, 62,370 disks), then the collector's two sources run a first cycle (everything new) and
 * a second one (nothing changed). Prints wall time and API calls per cycle beside the calls a naive per-VM collector
 * would make: one list, then per VM its disk attachments and each disk (oVirt); per server its flavor, image and each
 * volume (OpenStack). Restores the demo topology at the end.
 */
final class CollectorScale {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private CollectorScale() {
    }

    static void run(String simulator, String collector, String operatorUser, String operatorPassword)
            throws Exception {
        post(simulator + "/sim/v1/topology", """
                {"seed":7,"ovirtEngines":1,"openstackRegions":1,"clustersPerSource":10,"hostsPerCluster":50,
                 "vmsPerHost":21,"disksPerVm":3,"directLunFraction":0.5,"sharedLunFraction":0.05,
                 "blockDomainsPerEngine":2,"haFraction":0.3,"pinnedFraction":0.1,"watchdogFraction":0.4,
                 "softDeletedFraction":0.05,"downFraction":0.1}""", null);
        String auth = "Basic " + Base64.getEncoder().encodeToString((operatorUser + ":" + operatorPassword)
                .getBytes());
        try {
            JsonNode o1 = refresh(collector, "ovirt-1", auth);
            JsonNode s1 = refresh(collector, "openstack-1", auth);
            JsonNode o2 = refresh(collector, "ovirt-1", auth);
            JsonNode s2 = refresh(collector, "openstack-1", auth);
            long ovirtVms = o1.path("vms").asLong();
            long servers = s1.path("vms").asLong();
            JsonNode sources = Json.mapper().readTree(HTTP.send(HttpRequest.newBuilder(URI.create(simulator
                    + "/sim/v1/sources")).build(), HttpResponse.BodyHandlers.ofString()).body());
            // disks per VM: 3 (one boot disk + two data disks); OpenStack servers: one image root + two volumes
            long ovirtDisks = ovirtVms * 3;
            long volumes = servers * 2;
            new BenchReport("collector-scale")
                    .parameter("estate", sources.toString().replaceAll("\"endpoints\":\\[[^]]*],", ""))
                    .parameter("pageSize", "500 (default)")
                    .figure("ovirtVms", "oVirt VMs", ovirtVms, "VMs")
                    .figure("novaServers", "Nova servers", servers, "servers")
                    .figure("ovirtFirstCycleSec", "oVirt first cycle (all new, 10,500 states published)",
                            o1.path("durationMs").asDouble() / 1000, "s")
                    .figure("ovirtSecondCycleSec", "oVirt unchanged cycle", o2.path("durationMs").asDouble() / 1000, "s")
                    .figure("ovirtApiCallsPerCycle", "oVirt API calls per cycle", o2.path("apiCalls").asDouble(),
                            "calls")
                    .figure("ovirtNaiveCalls", "oVirt naive per-VM calls (1 + VMs + disks)", 1 + ovirtVms + ovirtDisks,
                            "calls")
                    .figure("novaFirstCycleSec", "OpenStack first cycle (all new)",
                            s1.path("durationMs").asDouble() / 1000, "s")
                    .figure("novaSecondCycleSec", "OpenStack unchanged cycle",
                            s2.path("durationMs").asDouble() / 1000, "s")
                    .figure("openstackApiCallsPerCycle", "OpenStack API calls per cycle",
                            s2.path("apiCalls").asDouble(), "calls")
                    .figure("openstackNaiveCalls", "OpenStack naive calls (1 + 2 x servers + volumes)",
                            1 + 2 * servers + volumes, "calls")
                    .figure("secondCycleStatesPublished", "states published by the unchanged cycles",
                            o2.path("statesPublished").asDouble() + s2.path("statesPublished").asDouble(), "states")
                    .print();
        } finally {
            post(simulator + "/sim/v1/topology", """
                    {"seed":42,"ovirtEngines":1,"openstackRegions":1,"clustersPerSource":1,"hostsPerCluster":5,
                     "vmsPerHost":10,"disksPerVm":3,"directLunFraction":0.5,"sharedLunFraction":0.1,
                     "blockDomainsPerEngine":1,"haFraction":0.3,"pinnedFraction":0.1,"watchdogFraction":0.4,
                     "softDeletedFraction":0.1,"downFraction":0.1}""", null);
            refresh(collector, "ovirt-1", auth);
            refresh(collector, "openstack-1", auth);
        }
    }

    private static JsonNode refresh(String collector, String source, String auth) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(collector + "/api/v1/sources/" + source
                        + "/refresh?wait=true")).header("Authorization", auth).timeout(Duration.ofMinutes(10))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("refresh " + source + " answered " + r.statusCode() + ": " + r.body());
        }
        JsonNode cycle = Json.mapper().readTree(r.body());
        if (!"COMPLETE".equals(cycle.path("outcome").asText())) {
            throw new IllegalStateException(source + " cycle was " + cycle.path("outcome").asText() + ": "
                    + cycle.path("errors"));
        }
        return cycle;
    }

    private static void post(String url, String json, String auth) throws Exception {
        HttpRequest.Builder b = SimulatorToken.authorize(HttpRequest.newBuilder(URI.create(url)), url)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        }
    }
}
