package io.lifeboat.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real Keycloak (the {@code org.keycloak:keycloak-quarkus-dist} distribution from Maven Central, unpacked by the
 * module's build into {@code lifeboat.keycloak.home}), started once per test JVM in development mode on a free port
 * with the realms a test gives (JSON files imported at start), and stopped when the JVM exits. Tokens are real: the
 * password grant for users, the client-credentials grant for machine clients.
 */
public final class KeycloakServer {

    private static final Logger LOG = Logger.getLogger("io.lifeboat.testsupport");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile KeycloakServer instance;

    private final Process process;
    private final String url;
    private final Path log;

    private KeycloakServer(Process process, String url, Path log) {
        this.process = process;
        this.url = url;
        this.log = log;
    }

    /**
     * Starts Keycloak with these realm files on first use; later calls return the running one (same realms). Quarkus
     * loads a test's classes twice (the test and the application class loaders): the first start publishes its URL
     * in a system property, so the other loader's copy uses the same server instead of starting a second one.
     */
    public static KeycloakServer get(List<Path> realms) {
        KeycloakServer k = instance;
        if (k == null) {
            synchronized (KeycloakServer.class) {
                k = instance;
                if (k == null) {
                    String running = System.getProperty(URL_PROPERTY);
                    k = running != null ? new KeycloakServer(null, running, null) : start(realms);
                    System.setProperty(URL_PROPERTY, k.url);
                    instance = k;
                }
            }
        }
        return k;
    }

    private static final String URL_PROPERTY = "lifeboat.keycloak.url";

    /** Base URL, e.g. {@code http://127.0.0.1:41234}; a realm's issuer is {@code url() + "/realms/" + name}. */
    public String url() {
        return url;
    }

    public String issuer(String realm) {
        return url + "/realms/" + realm;
    }

    /** An access token by the password grant of a public client. */
    public String userToken(String realm, String client, String user, String password) {
        return token(realm, Map.of("grant_type", "password", "client_id", client, "username", user,
                "password", password));
    }

    /** An access token by the client-credentials grant of a confidential client (its service account). */
    public String clientToken(String realm, String client, String secret) {
        return token(realm, Map.of("grant_type", "client_credentials", "client_id", client, "client_secret", secret));
    }

    private String token(String realm, Map<String, String> form) {
        String body = form.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(),
                StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(issuer(realm)
                            + "/protocol/openid-connect/token")).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("Keycloak refused a token (" + r.statusCode() + "): " + r.body());
            }
            JsonNode json = JSON.readTree(r.body());
            return json.path("access_token").asText();
        } catch (IOException e) {
            throw new IllegalStateException("Keycloak did not answer a token request: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static KeycloakServer start(List<Path> realms) {
        long t0 = System.nanoTime();
        String homeProperty = System.getProperty("lifeboat.keycloak.home");
        if (homeProperty == null) {
            throw new IllegalStateException("system property lifeboat.keycloak.home is not set (see the module's pom)");
        }
        Path home = Path.of(homeProperty);
        if (!Files.isExecutable(home.resolve("bin/kc.sh"))) {
            throw new IllegalStateException(home + "/bin/kc.sh is missing: the module's build unpacks"
                    + " org.keycloak:keycloak-quarkus-dist there (mvn process-test-resources)");
        }
        try {
            // A fresh development database each time: the realms are exactly the files given.
            Path data = home.resolve("data");
            if (Files.isDirectory(data)) {
                try (Stream<Path> files = Files.walk(data)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            Path imports = Files.createDirectories(data.resolve("import"));
            for (Path realm : realms) {
                Files.copy(realm, imports.resolve(realm.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
            int port = AppProcess.freePort();
            int management = AppProcess.freePort();
            Path log = Files.createTempFile("lifeboat-keycloak-", ".log");
            List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/kc.sh").toString(), "start-dev",
                    "--http-port=" + port, "--http-management-port=" + management, "--import-realm",
                    "--http-host=127.0.0.1", "--log-level=warn"));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            String javaHome = System.getProperty("java.home");
            pb.environment().put("JAVA_HOME", javaHome);
            pb.environment().put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
            Process p = pb.start();
            String url = "http://127.0.0.1:" + port;
            KeycloakServer server = new KeycloakServer(p, url, log);
            Runtime.getRuntime().addShutdownHook(new Thread(p::destroy, "keycloak-stop"));
            String realm = JSON.readTree(realms.get(0).toFile()).path("realm").asText();
            long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
            while (true) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("Keycloak exited with " + p.exitValue() + ":\n" + tail(log));
                }
                try {
                    HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(server.issuer(realm)
                                    + "/.well-known/openid-configuration")).timeout(Duration.ofSeconds(3)).build(),
                            HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() == 200) {
                        break;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                if (System.nanoTime() > deadline) {
                    p.destroyForcibly();
                    throw new IllegalStateException("Keycloak was not ready within 240 s:\n" + tail(log));
                }
                Thread.sleep(250);
            }
            LOG.infof("Keycloak %s ready at %s in %d ms (log %s)", home.getFileName(), url,
                    (System.nanoTime() - t0) / 1_000_000, log);
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start Keycloak: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
