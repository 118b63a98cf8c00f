package io.lifeboat.stack;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where everything of the local stack lives and listens. Every port can be moved with an environment variable, e.g.
 * {@code LIFEBOAT_KAFKA_PORT=19092 ./lifeboat up}.
 *
 * @param home    the data folder ({@code .lifeboat/} in the project): postgres/, kafka/, logs/, run/
 * @param project the project root, where each application's {@code target/quarkus-app} is
 */
record StackLayout(Path home, Path project, int kafkaPort, int kafkaControllerPort, int postgresPort,
                   List<App> apps) {

    /** One Quarkus application of the suite; {@code configFile} is an extra properties file it reads, if any. */
    record App(String name, String module, int port, String heap, boolean usesInfrastructure, String configFile) {
        Path jar(Path project) {
            return project.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        }
    }

    static StackLayout fromEnvironment(Path project) {
        Map<String, String> env = System.getenv();
        Path home = Path.of(env.getOrDefault("LIFEBOAT_HOME", project.resolve(".lifeboat").toString()))
                .toAbsolutePath();
        return new StackLayout(home, project.toAbsolutePath(),
                port(env, "LIFEBOAT_KAFKA_PORT", 9092),
                port(env, "LIFEBOAT_KAFKA_CONTROLLER_PORT", 9093),
                port(env, "LIFEBOAT_POSTGRES_PORT", 5433),
                List.of(
                        new App("cloud-simulator", "cloud-simulator", port(env, "LIFEBOAT_SIMULATOR_PORT", 8090),
                                "768m", false, "simulator.properties"),
                        new App("collector-service", "collector-service", port(env, "LIFEBOAT_COLLECTOR_PORT", 8081),
                                "768m", true, "sources.properties,collector-sources.properties"),
                        new App("mapping-service", "mapping-service", port(env, "LIFEBOAT_MAPPING_PORT", 8082),
                                "384m", true, null),
                        new App("evacuation-service", "evacuation-service",
                                port(env, "LIFEBOAT_EVACUATION_PORT", 8083), "384m", true,
                                "sources.properties,evacuation-sources.properties"),
                        new App("watchdog-service", "watchdog-service", port(env, "LIFEBOAT_WATCHDOG_PORT", 8084),
                                "384m", true, null)));
    }

    private static int port(Map<String, String> env, String name, int def) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return def;
        }
        try {
            int p = Integer.parseInt(v.strip());
            if (p < 1 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a TCP port number (1-65535), was '" + v + "'");
        }
    }

    Path logs() {
        return home.resolve("logs");
    }

    Path run() {
        return home.resolve("run");
    }

    Path config() {
        return home.resolve("config");
    }

    /**
     * The credential of the simulator's control API on this stack: made at the first start, kept in
     * {@code <home>/simulator-control.token} (owner-only), read by the README's demos and the benchmarks.
     */
    String simulatorToken() {
        java.nio.file.Path file = home().resolve("simulator-control.token");
        try {
            if (!java.nio.file.Files.exists(file)) {
                byte[] random = new byte[24];
                new java.security.SecureRandom().nextBytes(random);
                java.nio.file.Files.createDirectories(home());
                java.nio.file.Files.writeString(file, java.util.HexFormat.of().formatHex(random) + "\n");
                try {
                    java.nio.file.Files.setPosixFilePermissions(file,
                            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system: the file stays as created
                }
            }
            return java.nio.file.Files.readString(file).strip();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read or create " + file + ": " + e.getMessage(), e);
        }
    }

    String simulatorUrl() {
        return apps.stream().filter(a -> a.name().equals("cloud-simulator")).findFirst()
                .map(a -> "http://localhost:" + a.port()).orElseThrow();
    }

    /**
     * The TCP port the simulated hosts listen on at their management addresses (127.77.x.y), and the evacuation-service
     * probes: the simulator's port + 10000.
     */
    int managementPort() {
        return apps.stream().filter(a -> a.name().equals("cloud-simulator")).findFirst().orElseThrow().port() + 10000;
    }

    String kafkaBootstrap() {
        return "127.0.0.1:" + kafkaPort;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgresPort + "/lifeboat";
    }
}
