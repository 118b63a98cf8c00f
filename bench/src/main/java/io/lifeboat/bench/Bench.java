package io.lifeboat.bench;

import java.util.List;
import java.util.Map;

/**
 * Entry point: {@code ./lifeboat bench <name> [options]}. Benchmarks run against the local stack (started with
 * {@code ./lifeboat up}) and print figures; they are never part of the test run.
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage();
            return;
        }
        Map<String, String> env = System.getenv();
        String kafka = env.getOrDefault("LIFEBOAT_KAFKA", "127.0.0.1:" + env.getOrDefault("LIFEBOAT_KAFKA_PORT", "9092"));
        switch (args[0]) {
            case "kafka-roundtrip" -> KafkaRoundTrip.run(kafka, intOption(args, "--events", 200_000));
            case "simulator-scale" -> SimulatorScale.run(simulator(env));
            case "mapping-scale" -> MappingScale.run(kafka, env.getOrDefault("LIFEBOAT_MAPPING_URL",
                    "http://localhost:" + env.getOrDefault("LIFEBOAT_MAPPING_PORT", "8082")),
                    "jdbc:postgresql://127.0.0.1:" + env.getOrDefault("LIFEBOAT_POSTGRES_PORT", "5433") + "/lifeboat",
                    MappingScale.basic("viewer", env.getOrDefault("LIFEBOAT_VIEWER_PASSWORD", "viewer")),
                    intOption(args, "--events", 100_000), intOption(args, "--intervals-per-vm", 405),
                    intOption(args, "--requests", 200));
            case "collector-scale" -> CollectorScale.run(simulator(env), env.getOrDefault("LIFEBOAT_COLLECTOR_URL",
                    "http://localhost:" + env.getOrDefault("LIFEBOAT_COLLECTOR_PORT", "8081")),
                    "operator", env.getOrDefault("LIFEBOAT_OPERATOR_PASSWORD", "operator"));
            case "evacuation-scale" -> EvacuationScale.run(simulator(env), kafka,
                    "jdbc:postgresql://127.0.0.1:" + env.getOrDefault("LIFEBOAT_POSTGRES_PORT", "5433") + "/lifeboat",
                    intOption(args, "--instances", 200), intOption(args, "--latency-ms", 200), List.of(4, 8, 16));
            case "watchdog-ingest" -> WatchdogIngest.run(env.getOrDefault("LIFEBOAT_WATCHDOG_URL",
                    "http://localhost:" + env.getOrDefault("LIFEBOAT_WATCHDOG_PORT", "8084")),
                    "jdbc:postgresql://127.0.0.1:" + env.getOrDefault("LIFEBOAT_POSTGRES_PORT", "5433") + "/lifeboat",
                    intOption(args, "--events", 20_000), intOption(args, "--batch", 1_000),
                    intOption(args, "--hypervisors", 100), intOption(args, "--agents", 16));
            case "recovery-time" -> RecoveryTime.run(simulator(env), env.getOrDefault("LIFEBOAT_EVACUATION_URL",
                    "http://localhost:" + env.getOrDefault("LIFEBOAT_EVACUATION_PORT", "8083")),
                    "viewer:" + env.getOrDefault("LIFEBOAT_VIEWER_PASSWORD", "viewer"),
                    "operator:" + env.getOrDefault("LIFEBOAT_OPERATOR_PASSWORD", "operator"),
                    List.of(stringOption(args, "--hosts", "cmp1-a02,cmp1-a03,cmp1-a04").split(",")));
            default -> {
                System.err.println("unknown benchmark '" + args[0] + "'");
                usage();
                System.exit(2);
            }
        }
    }

    private static String simulator(Map<String, String> env) {
        return env.getOrDefault("LIFEBOAT_SIMULATOR_URL", "http://localhost:"
                + env.getOrDefault("LIFEBOAT_SIMULATOR_PORT", "8090"));
    }

    private static int intOption(String[] args, String name, int def) {
        for (int i = 1; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return def;
    }

    private static String stringOption(String[] args, String name, String def) {
        for (int i = 1; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return def;
    }

    private static void usage() {
        System.out.println("""
                usage: ./lifeboat bench <name> [options]   (the local stack must be up: ./lifeboat up -d)
                  kafka-roundtrip [--events N]   publish N VM-state events (acks=all) and consume + decode them
                  simulator-scale                1,000 hosts / 20,000+ VMs in the simulator, listed through the SDKs
                  collector-scale                the collector's cycles over a 20,790-VM estate, vs naive per-VM calls
                  evacuation-scale [--instances N] [--latency-ms L]
                                                 a host of N instances evacuated with Nova at L ms per call, at
                                                 concurrency 4, 8 and 16, beside the lower bound N x L / concurrency
                  watchdog-ingest [--events N] [--batch B] [--hypervisors H] [--agents A]
                                                 virsh event lines over HTTP, end to end to stored incidents, from
                                                 one hypervisor and from H (A posting at once), side by side;
                                                 outbox relay latency under load and on an idle stack
                  recovery-time [--hosts cmp1-a02,cmp1-a03,cmp1-a04]
                                                 each host loses power in turn (Nova's service_down_time 60 s): the
                                                 first evacuate call and RECOVERED, beside Nova, Masakari, vSphere HA;
                                                 each host repaired and unfenced after its run
                  mapping-scale [--events N] [--intervals-per-vm K] [--requests R]
                                                 ingestion vs raw consumer; unmap-plan latency at 10M history rows
                """);
    }
}
