package io.lifeboat.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * deploy/ as a platform team applies it: every overlay (and the topics on their own) rendered by Kustomize, every
 * object validated offline against the Kubernetes API schemas of the pinned release and the Strimzi and Prometheus
 * Operator CRDs (deploy/check/validate.mjs), then the invariants that matter ({@link ManifestInvariants}).
 */
class ManifestsTest {

    static final List<String> RENDERED = List.of("overlays/production", "overlays/lab", "topics");
    static final List<String> SERVICES = List.of("collector-service", "mapping-service", "evacuation-service",
            "watchdog-service");
    static final Map<String, Path> OUTPUT = new LinkedHashMap<>();

    @BeforeAll
    static void render() throws Exception {
        Tools.npmInstalled();
        Path dir = Files.createDirectories(Deploy.project().resolve("deploy-check/target/rendered"));
        for (String k : RENDERED) {
            Tools.Result r = Tools.run(Deploy.dir(), 120, Tools.kustomize().toString(), "build", k);
            assertThat(r.exit()).as("kustomize build " + k + ":\n" + r.output()).isZero();
            Path out = dir.resolve(k.replace('/', '-') + ".yaml");
            Files.writeString(out, r.output(), StandardCharsets.UTF_8);
            OUTPUT.put(k, out);
        }
    }

    static List<JsonNode> objects(Path file) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = new ObjectMapper(new YAMLFactory()).readerFor(JsonNode.class)
                .readValues(file.toFile())) {
            it.forEachRemaining(d -> {
                if (d != null && !d.isNull() && !d.isEmpty()) {
                    docs.add(d);
                }
            });
        }
        return docs;
    }

    @Test
    void everyRenderedObjectIsValidAgainstTheApiSchemas() throws Exception {
        List<String> cmd = new ArrayList<>(List.of("node", "validate.mjs"));
        OUTPUT.values().forEach(p -> cmd.add(p.toString()));
        Tools.Result r = Tools.run(Tools.checkDir(), 300, cmd.toArray(String[]::new));
        assertThat(r.output()).as("validate.mjs").contains("0 problem(s)");
        assertThat(r.exit()).isZero();
        int objects = 0;
        for (Path p : OUTPUT.values()) {
            objects += objects(p).size();
        }
        assertThat(r.output()).contains(objects + " object(s) checked");
    }

    /** The validator is alive: each kind of mistake in a committed broken file is named, and nothing else. */
    @Test
    void theValidatorNamesUnknownFieldsWrongTypesMissingFieldsAndUnknownKinds() throws Exception {
        Tools.npmInstalled();
        Path broken = Path.of("src/test/resources/broken-objects.yaml").toAbsolutePath();
        Tools.Result r = Tools.run(Tools.checkDir(), 300, "node", "validate.mjs", broken.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.output())
                .contains("Deployment/unknown-field: Object literal may only specify known properties, and"
                        + " '\"periodSecond\"' does not exist in type 'IProbe'")
                .contains("Deployment/wrong-type: data/spec/replicas must be integer")
                .contains("Deployment/missing-selector: data/spec must have required property selector")
                .contains("KafkaTopic/t: Object literal may only specify known properties, and '\"replica\"'")
                .contains("Widget/w: no schema for example.com/v1 Widget")
                .contains("7 problem(s)");
    }

    @Test
    void everyOverlayKeepsTheInvariants() throws Exception {
        Map<String, Integer> shutdown = new LinkedHashMap<>();
        for (String s : SERVICES) {
            Properties p = new Properties();
            p.load(new StringReader(Files.readString(Deploy.project().resolve(s
                    + "/src/main/resources/application.properties"))));
            shutdown.put(s, Integer.parseInt(p.getProperty("quarkus.shutdown.timeout").replace("s", "")));
        }
        for (Map.Entry<String, Path> e : OUTPUT.entrySet()) {
            assertThat(ManifestInvariants.violations(objects(e.getValue()), shutdown::get)).as(e.getKey()).isEmpty();
        }
    }

    /** The invariant check is alive: a committed file breaking each invariant gets each sentence. */
    @Test
    void theInvariantCheckNamesEachBrokenInvariant() throws Exception {
        List<String> v = ManifestInvariants.violations(objects(Path.of("src/test/resources/broken-invariants.yaml")),
                n -> n.equals("mapping-service") ? 15 : null);
        assertThat(v).containsExactlyInAnyOrder(
                "Secret/db: a Secret in the manifests (credentials are created beside them, never committed)",
                "ConfigMap/config: application.properties sets a credential literally"
                        + " (lifeboat.collector.sources.ovirt-1.password); use its -file form",
                "Deployment/mapping-service: terminationGracePeriodSeconds 10 does not outlast the service's shutdown"
                        + " (15 s) by 5 s",
                "Deployment/mapping-service container mapping-service: no startupProbe",
                "Deployment/mapping-service container mapping-service: readinessProbe names port admin, which it does"
                        + " not have",
                "Deployment/mapping-service container mapping-service: no resources.limits.memory",
                "Deployment/mapping-service container mapping-service: the root filesystem is writable",
                "Deployment/mapping-service container mapping-service: privilege escalation is allowed",
                "Deployment/mapping-service container mapping-service: may run as root",
                "Deployment/mapping-service container mapping-service: LIFEBOAT_DB_PASSWORD is a literal credential;"
                        + " use LIFEBOAT_DB_PASSWORD_FILE and a Secret",
                "Service/mapping-service: targetPort metrics exists on no pod it selects",
                "NetworkPolicy/mapping-service: ingress port 9000 does not exist on mapping-service",
                "PodDisruptionBudget/other: selects no workload",
                "NetworkPolicy/label-on-the-deployment-only: selects no pod (its labels are on no pod template)",
                "ServiceMonitor/mapping-service: endpoint port web is not a port of Service/mapping-service");
    }

    @Test
    void productionRunsTheProductionProfileWithOidcAndNoSimulator() throws Exception {
        List<JsonNode> prod = objects(OUTPUT.get("overlays/production"));
        JsonNode env = prod.stream().filter(o -> o.path("kind").asText().equals("ConfigMap")
                && o.at("/metadata/name").asText().startsWith("lifeboat-environment")).findFirst().orElseThrow();
        assertThat(env.at("/data/quarkus-profile").asText()).isEqualTo("prod");
        assertThat(env.at("/data/oidc-enabled").asText()).isEqualTo("true");
        assertThat(prod).noneMatch(o -> o.at("/metadata/name").asText().contains("simulator"));
        assertThat(prod).allMatch(o -> o.at("/metadata/namespace").asText().equals("lifeboat")
                || o.path("kind").asText().equals("Namespace"));
        Set<String> deployments = new TreeSet<>();
        prod.stream().filter(o -> o.path("kind").asText().equals("Deployment"))
                .forEach(o -> deployments.add(o.at("/metadata/name").asText()));
        assertThat(deployments).containsExactlyInAnyOrderElementsOf(SERVICES);
        List<JsonNode> lab = objects(OUTPUT.get("overlays/lab"));
        assertThat(lab).filteredOn(o -> o.path("kind").asText().equals("KafkaTopic"))
                .hasSize(objects(OUTPUT.get("topics")).size())
                .allMatch(t -> t.at("/spec/replicas").asInt() == 1);
    }

    /** Every image the manifests name is one the project defines a container image for, with the same tag. */
    @Test
    void everyImageIsBuiltByTheProject() throws Exception {
        Pattern image = Pattern.compile("image: (\\S+)");
        Set<String> images = new TreeSet<>();
        for (Path p : OUTPUT.values()) {
            Matcher m = image.matcher(Files.readString(p));
            while (m.find()) {
                images.add(m.group(1));
            }
        }
        String version = "0.1.0";
        for (String i : images) {
            if (i.startsWith("docker.io/library/postgres:")) {
                continue;
            }
            String module = i.replaceAll("^.*/", "").replaceAll(":.*$", "");
            assertThat(Deploy.project().resolve(module + "/src/main/docker/Dockerfile.jvm")).as(i).isRegularFile();
            assertThat(i).endsWith(":" + version);
        }
        assertThat(images).anyMatch(i -> i.contains("collector-service"));
    }
}
