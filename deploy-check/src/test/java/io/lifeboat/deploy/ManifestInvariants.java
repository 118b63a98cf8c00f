package io.lifeboat.deploy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the schemas cannot say and a platform team relies on, over one rendered overlay: every container has its three
 * probes, requests and limits, runs non-root on a read-only root filesystem without privilege escalation; no Secret and
 * no credential stands in the manifests; every port a NetworkPolicy, Service, probe or ServiceMonitor names exists on
 * the pods it selects; every PodDisruptionBudget selects a workload; a pod's termination grace outlasts the service's
 * own shutdown. Each violation is one sentence naming the object.
 */
final class ManifestInvariants {

    /** An environment variable or properties key that would carry a credential as a literal. */
    private static final Pattern CREDENTIAL = Pattern.compile("(?i).*(password|secret|token|credential)$");

    private ManifestInvariants() {
    }

    /**
     * @param shutdownSeconds a workload's name → its {@code quarkus.shutdown.timeout} in seconds (absent: not a
     *                        Lifeboat service)
     */
    static List<String> violations(List<JsonNode> objects, Function<String, Integer> shutdownSeconds) {
        List<String> v = new ArrayList<>();
        List<JsonNode> workloads = objects.stream().filter(o -> Set.of("Deployment", "StatefulSet")
                .contains(o.path("kind").asText())).toList();
        for (JsonNode o : objects) {
            String id = o.path("kind").asText() + "/" + o.at("/metadata/name").asText();
            if (o.path("kind").asText().equals("Secret")) {
                v.add(id + ": a Secret in the manifests (credentials are created beside them, never committed)");
            }
            if (o.path("kind").asText().equals("ConfigMap")) {
                o.path("data").fields().forEachRemaining(e -> e.getValue().asText().lines().map(String::strip)
                        .filter(l -> !l.startsWith("#") && l.contains("="))
                        .filter(l -> CREDENTIAL.matcher(l.substring(0, l.indexOf('=')).strip()).matches())
                        .forEach(l -> v.add(id + ": " + e.getKey() + " sets a credential literally ("
                                + l.substring(0, l.indexOf('=')).strip() + "); use its -file form")));
            }
        }
        for (JsonNode w : workloads) {
            String id = w.path("kind").asText() + "/" + w.at("/metadata/name").asText();
            JsonNode pod = w.at("/spec/template/spec");
            Integer shutdown = shutdownSeconds.apply(w.at("/metadata/name").asText());
            if (shutdown != null) {
                int grace = pod.path("terminationGracePeriodSeconds").asInt(30);
                if (grace < shutdown + 5) {
                    v.add(id + ": terminationGracePeriodSeconds " + grace + " does not outlast the service's shutdown ("
                            + shutdown + " s) by 5 s");
                }
            }
            boolean podNonRoot = pod.at("/securityContext/runAsNonRoot").asBoolean(false);
            for (JsonNode c : pod.path("containers")) {
                String cid = id + " container " + c.path("name").asText();
                for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                    if (c.path(probe).isMissingNode()) {
                        v.add(cid + ": no " + probe);
                    } else {
                        JsonNode port = c.path(probe).at("/httpGet/port");
                        if (!port.isMissingNode() && !containerHasPort(c, port)) {
                            v.add(cid + ": " + probe + " names port " + port.asText() + ", which it does not have");
                        }
                    }
                }
                for (String r : List.of("/resources/limits/cpu", "/resources/limits/memory",
                        "/resources/requests/cpu", "/resources/requests/memory")) {
                    if (c.at(r).isMissingNode()) {
                        v.add(cid + ": no " + r.substring(1).replace('/', '.'));
                    }
                }
                JsonNode sc = c.path("securityContext");
                if (!sc.path("readOnlyRootFilesystem").asBoolean(false)) {
                    v.add(cid + ": the root filesystem is writable");
                }
                if (sc.path("allowPrivilegeEscalation").asBoolean(true)) {
                    v.add(cid + ": privilege escalation is allowed");
                }
                if (!sc.path("runAsNonRoot").asBoolean(podNonRoot)) {
                    v.add(cid + ": may run as root");
                }
                for (JsonNode env : c.path("env")) {
                    String name = env.path("name").asText();
                    if (env.has("value") && CREDENTIAL.matcher(name).matches()) {
                        v.add(cid + ": " + name + " is a literal credential; use " + name + "_FILE and a Secret");
                    }
                }
            }
        }
        for (JsonNode o : objects) {
            String kind = o.path("kind").asText();
            String id = kind + "/" + o.at("/metadata/name").asText();
            switch (kind) {
                case "Service" -> {
                    List<JsonNode> pods = selected(workloads, o.at("/spec/selector"));
                    if (pods.isEmpty()) {
                        v.add(id + ": selects no pod");
                    }
                    for (JsonNode p : o.at("/spec/ports")) {
                        JsonNode target = p.path("targetPort").isMissingNode() ? p.path("port") : p.path("targetPort");
                        if (pods.stream().noneMatch(w -> podHasPort(w, target))) {
                            v.add(id + ": targetPort " + target.asText() + " exists on no pod it selects");
                        }
                    }
                }
                case "NetworkPolicy" -> {
                    List<JsonNode> pods = selected(workloads, o.at("/spec/podSelector/matchLabels"));
                    if (pods.isEmpty() && !o.at("/spec/podSelector/matchLabels").isEmpty()) {
                        v.add(id + ": selects no pod (its labels are on no pod template)");
                    }
                    for (JsonNode rule : o.at("/spec/ingress")) {
                        for (JsonNode p : rule.path("ports")) {
                            for (JsonNode w : pods) {
                                if (!podHasPort(w, p.path("port"))) {
                                    v.add(id + ": ingress port " + p.path("port").asText() + " does not exist on "
                                            + w.at("/metadata/name").asText());
                                }
                            }
                        }
                    }
                    for (JsonNode rule : o.at("/spec/egress")) {
                        for (JsonNode to : rule.path("to")) {
                            if (to.has("podSelector") && !to.has("namespaceSelector")) {
                                for (JsonNode w : selected(workloads, to.at("/podSelector/matchLabels"))) {
                                    for (JsonNode p : rule.path("ports")) {
                                        if (!podHasPort(w, p.path("port"))) {
                                            v.add(id + ": egress port " + p.path("port").asText()
                                                    + " does not exist on " + w.at("/metadata/name").asText());
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                case "PodDisruptionBudget" -> {
                    if (selected(workloads, o.at("/spec/selector/matchLabels")).isEmpty()) {
                        v.add(id + ": selects no workload");
                    }
                }
                case "ServiceMonitor" -> {
                    List<JsonNode> services = objects.stream().filter(s -> s.path("kind").asText().equals("Service"))
                            .filter(s -> matches(s.at("/metadata/labels"), o.at("/spec/selector/matchLabels")))
                            .toList();
                    if (services.isEmpty()) {
                        v.add(id + ": selects no Service");
                    }
                    for (JsonNode e : o.at("/spec/endpoints")) {
                        String port = e.path("port").asText();
                        for (JsonNode s : services) {
                            boolean has = false;
                            for (JsonNode p : s.at("/spec/ports")) {
                                has |= p.path("name").asText().equals(port);
                            }
                            if (!has) {
                                v.add(id + ": endpoint port " + port + " is not a port of Service/"
                                        + s.at("/metadata/name").asText());
                            }
                        }
                    }
                }
                default -> {
                }
            }
        }
        return v;
    }

    private static List<JsonNode> selected(List<JsonNode> workloads, JsonNode selector) {
        if (selector == null || selector.isMissingNode() || selector.isEmpty()) {
            return List.of();
        }
        return workloads.stream().filter(w -> matches(w.at("/spec/template/metadata/labels"), selector)).toList();
    }

    private static boolean matches(JsonNode labels, JsonNode selector) {
        Iterator<Map.Entry<String, JsonNode>> it = selector.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!labels.path(e.getKey()).asText("\u0000").equals(e.getValue().asText())) {
                return false;
            }
        }
        return true;
    }

    private static boolean podHasPort(JsonNode workload, JsonNode port) {
        for (JsonNode c : workload.at("/spec/template/spec/containers")) {
            if (containerHasPort(c, port)) {
                return true;
            }
        }
        return false;
    }

    private static boolean containerHasPort(JsonNode container, JsonNode port) {
        Set<String> names = new HashSet<>();
        Set<Integer> numbers = new HashSet<>();
        for (JsonNode p : container.path("ports")) {
            names.add(p.path("name").asText());
            numbers.add(p.path("containerPort").asInt());
        }
        return port.isInt() ? numbers.contains(port.asInt()) : names.contains(port.asText());
    }
}
