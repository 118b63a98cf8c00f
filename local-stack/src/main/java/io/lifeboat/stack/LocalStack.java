package io.lifeboat.stack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The whole suite on one machine: a real Kafka broker, a real PostgreSQL, the cloud-simulator and the four services,
 * each on its documented port. Runs in the foreground until stopped (Ctrl-C, SIGTERM, or {@code ./lifeboat down});
 * stops everything in reverse order. Data stays under {@code .lifeboat/} for the next start.
 */
public final class LocalStack {

    private final StackLayout layout;
    private final List<AppNode> apps = new ArrayList<>();
    private PostgresNode postgres;
    private KafkaNode kafka;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private Supervisor supervisor;
    private String javaCommand;
    private String classpath;

    private LocalStack(StackLayout layout) {
        this.layout = layout;
    }

    public static void main(String[] args) throws Exception {
        Path project = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        StackLayout layout;
        try {
            layout = StackLayout.fromEnvironment(project);
        } catch (IllegalArgumentException e) {
            System.err.println("lifeboat: " + e.getMessage());
            System.exit(2);
            return;
        }
        LocalStack stack = new LocalStack(layout);
        Runtime.getRuntime().addShutdownHook(new Thread(stack::stop, "lifeboat-stack-stop"));
        try {
            stack.start();
        } catch (Exception e) {
            System.err.println("lifeboat: the stack did not start: " + e.getMessage());
            System.exit(1);
        }
        stack.stopped.await();
    }

    private void start() throws Exception {
        long t0 = System.nanoTime();
        Files.createDirectories(layout.logs());
        Files.createDirectories(layout.run());
        checkPortsFree();
        Files.writeString(layout.run().resolve("stack.pid"), Long.toString(ProcessHandle.current().pid()));
        Files.deleteIfExists(layout.run().resolve("ready"));

        javaCommand = ProcessHandle.current().info().command().orElse("java");
        String java = javaCommand;
        classpath = classpath();

        step("PostgreSQL");
        postgres = PostgresNode.start(layout);
        step("Kafka broker");
        kafka = KafkaNode.start(layout, java, classpath);

        writeDefaultConfig();
        step("cloud-simulator");
        AppNode simulator = AppNode.start(layout, layout.apps().get(0), java);
        apps.add(simulator);
        simulator.awaitReady(Duration.ofSeconds(180));
        step("services");
        for (StackLayout.App app : layout.apps().subList(1, layout.apps().size())) {
            apps.add(AppNode.start(layout, app, java));
        }
        ExecutorService pool = Executors.newFixedThreadPool(apps.size());
        try {
            List<Future<String>> ready = apps.stream()
                    .map(a -> pool.submit(() -> a.awaitReady(Duration.ofSeconds(180))))
                    .toList();
            for (Future<String> f : ready) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw (Exception) e.getCause();
                }
            }
        } finally {
            pool.shutdownNow();
        }
        for (AppNode a : apps) {
            a.processWatch();
        }
        long servicesReady = (System.nanoTime() - t0) / 1_000_000;
        String inventory = noWait() ? String.format("  First inventory: not waited for (--no-wait).%n")
                : FirstInventory.await(layout, postgres, Duration.ofSeconds(180));
        String summary = summary(servicesReady) + System.lineSeparator() + inventory;
        System.out.println(summary);
        supervise();
        Files.writeString(layout.run().resolve("ready"), summary);
    }

    /** What runs where, for {@code ./lifeboat status}; Kafka and PostgreSQL restartable on request. */
    private void supervise() {
        List<Supervisor.Component> components = new ArrayList<>();
        components.add(new Supervisor.Component() {
            public String name() {
                return "postgres";
            }

            public OptionalLong pid() {
                return postmasterPid();
            }

            public String address() {
                return layout.jdbcUrl();
            }

            public String restart() throws Exception {
                try {
                    postgres.close();
                } catch (Exception e) {
                    // what is left of a server that died: nothing to stop
                }
                postgres = PostgresNode.start(layout);
                return "PostgreSQL " + postgres.version() + ", pid " + postmasterPid().orElse(-1);
            }
        });
        components.add(new Supervisor.Component() {
            public String name() {
                return "kafka";
            }

            public OptionalLong pid() {
                return OptionalLong.of(kafka.pid());
            }

            public String address() {
                return layout.kafkaBootstrap();
            }

            public String restart() throws Exception {
                kafka.close();
                kafka = KafkaNode.start(layout, javaCommand, classpath);
                return "Kafka broker, pid " + kafka.pid();
            }
        });
        for (AppNode a : apps) {
            components.add(new Supervisor.Component() {
                public String name() {
                    return a.app().name();
                }

                public OptionalLong pid() {
                    return OptionalLong.of(a.pid());
                }

                public String address() {
                    return a.baseUrl();
                }
            });
        }
        supervisor = new Supervisor(layout.run(), components);
        Thread t = new Thread(supervisor, "lifeboat-supervisor");
        t.setDaemon(true);
        t.start();
    }

    /** The PostgreSQL server's process, from its data directory's lock file. */
    private OptionalLong postmasterPid() {
        try {
            String first = Files.readAllLines(layout.home().resolve("postgres").resolve("postmaster.pid")).get(0);
            return OptionalLong.of(Long.parseLong(first.strip()));
        } catch (Exception e) {
            return OptionalLong.empty();
        }
    }

    /**
     * The sources, written once (edits survive restarts; delete a file to get its default back): one file with how to
     * reach each (the simulator's oVirt engine and OpenStack region, as an operator would configure real ones), read
     * by the collector and the evacuation-service alike; and each service's own settings for them.
     */
    private void writeDefaultConfig() throws IOException {
        Files.createDirectories(layout.config());
        writeSimulatorConfig();
        String sim = "${LIFEBOAT_SIMULATOR_URL}";   // set by the stack at each start: follows LIFEBOAT_SIMULATOR_PORT
        write("sources.properties",
                "# The sources on the local stack: the cloud-simulator's oVirt engine and OpenStack region. Read by the",
                "# collector and the evacuation-service (lifeboat.sources.<id>.* is also lifeboat.collector.sources.<id>.*",
                "# and lifeboat.evacuation.sources.<id>.*; a service's own key wins). Edit to add your own (see README,",
                "# Sources); this file is kept across restarts.",
                "lifeboat.sources.ovirt-1.kind=ovirt",
                "lifeboat.sources.ovirt-1.url=" + sim + "/ovirt/ovirt-1/ovirt-engine/api",
                "lifeboat.sources.ovirt-1.username=admin@internal",
                "lifeboat.sources.ovirt-1.password=lifeboat",
                "lifeboat.sources.openstack-1.kind=openstack",
                "lifeboat.sources.openstack-1.url=" + sim + "/openstack/openstack-1/identity/v3",
                "lifeboat.sources.openstack-1.username=admin",
                "lifeboat.sources.openstack-1.password=lifeboat");
        write("collector-sources.properties",
                "# The collector's own settings for the sources in sources.properties (see README, Collector).",
                "# This file is kept across restarts: delete it to get the default back.",
                "lifeboat.collector.sources.ovirt-1.cycle-interval=1m",
                "lifeboat.collector.sources.ovirt-1.signal-interval=5s",
                "lifeboat.collector.sources.openstack-1.reclaim-interval=1h",
                "lifeboat.collector.sources.openstack-1.cycle-interval=1m",
                "lifeboat.collector.sources.openstack-1.signal-interval=5s");
        write("evacuation-sources.properties",
                "# The evacuation-service's own settings for the sources in sources.properties: fenced through the",
                "# engine's power management (oVirt) and the simulator's Redfish BMCs (OpenStack), evacuating to the",
                "# reserved host cmp1-a05 first (see README, The evacuation-service). Kept across restarts.",
                "lifeboat.evacuation.sources.ovirt-1.grace-period=20s",
                "lifeboat.evacuation.sources.ovirt-1.engine-ha-wait=30s",
                "# Lifeboat's own probes: BMC PowerState, the hosts' management port, Nova's heartbeat age; two",
                "# agreeing confirm a power loss after the default 10 s grace, long before Nova's 60 s service_down_time.",
                "lifeboat.evacuation.sources.openstack-1.detection.enabled=true",
                "lifeboat.evacuation.sources.openstack-1.detection.ports=${LIFEBOAT_MANAGEMENT_PORT}",
                "lifeboat.evacuation.sources.openstack-1.fencer=redfish",
                "lifeboat.evacuation.sources.openstack-1.redfish.system-url=" + sim
                        + "/redfish/v1/Systems/{source}.{host}",
                "lifeboat.evacuation.sources.openstack-1.redfish.username=admin",
                "lifeboat.evacuation.sources.openstack-1.redfish.password=lifeboat",
                "lifeboat.evacuation.sources.openstack-1.reserved-hosts=cmp1-a05",
                "# Every host's failover plan (GET /api/v1/failover-plan), computed every 15 s here (60 s by default).",
                "lifeboat.evacuation.sources.openstack-1.failover.interval=15s",
                "lifeboat.evacuation.sources.ovirt-1.failover.interval=15s");
    }

    /** Writes a config file unless it exists (then only warns when it names ports of another start). */
    private void write(String name, String... lines) throws IOException {
        Path file = layout.config().resolve(name);
        if (Files.exists(file)) {
            warnIfStale(file);
            return;
        }
        Files.writeString(file, String.join("\n", lines) + "\n");
    }

    /** The simulator's hypervisors push their libvirt events and domain listings to the watchdog-service. */
    private void writeSimulatorConfig() throws IOException {
        Path file = layout.config().resolve("simulator.properties");
        if (Files.exists(file)) {
            warnIfStale(file);
            return;
        }
        Files.writeString(file, String.join("\n",
                "# The cloud-simulator on the local stack: each simulated hypervisor's agent sends its libvirt events and",
                "# domain listings to the watchdog-service, as the README's agent pipe would. Kept across restarts.",
                "simulator.libvirt.sink-url=${LIFEBOAT_WATCHDOG_URL}",
                "simulator.libvirt.listing-interval=20s",
                "# Each powered, reachable host listens on its management address 127.77.x.y (a power loss closes it).",
                "simulator.management.port=${LIFEBOAT_MANAGEMENT_PORT}",
                "simulator.management.octet=77",
                "# Part of the clouds in the states real clouds also hold (Nova ERROR never scheduled, SHELVED_OFFLOADED,",
                "# oVirt image_locked VMs, a connecting and a kdumping host...): 0 for a tidy topology.",
                "simulator.topology.untidy-fraction=0.05",
                ""));
    }

    /**
     * A config file kept from an earlier start may name ports of that start (files written before the URLs became
     * {@code ${LIFEBOAT_SIMULATOR_URL}} and {@code ${LIFEBOAT_WATCHDOG_URL}}): says so rather than failing later.
     */
    private void warnIfStale(Path file) throws IOException {
        java.util.Set<Integer> ports = new java.util.HashSet<>();
        layout.apps().forEach(a -> ports.add(a.port()));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("https?://localhost:(\\d+)")
                .matcher(Files.readString(file));
        while (m.find()) {
            int port = Integer.parseInt(m.group(1));
            if (!ports.contains(port)) {
                System.err.println("lifeboat: " + file + " names port " + port + ", which no component of this stack"
                        + " listens on (a LIFEBOAT_*_PORT changed?); delete the file to get the default back, which"
                        + " follows the ports of each start");
                return;
            }
        }
    }

    private void step(String what) {
        System.out.println("lifeboat: starting " + what + " ...");
    }

    private void checkPortsFree() {
        List<String> busy = new ArrayList<>();
        check(busy, "Kafka", layout.kafkaPort());
        check(busy, "Kafka controller", layout.kafkaControllerPort());
        check(busy, "PostgreSQL", layout.postgresPort());
        for (StackLayout.App app : layout.apps()) {
            check(busy, app.name(), app.port());
        }
        if (!busy.isEmpty()) {
            throw new IllegalStateException("ports in use: " + String.join(", ", busy)
                    + ". Is a stack already running ('./lifeboat status')? Otherwise move ports with the"
                    + " LIFEBOAT_*_PORT variables (see README).");
        }
    }

    private static void check(List<String> busy, String what, int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", port));
        } catch (IOException e) {
            busy.add(what + " " + port);
        }
    }

    /** The launcher's own classpath (the jar's manifest lists lib/*), reused for the broker process. */
    private static String classpath() throws IOException {
        Path jar = Path.of(LocalStack.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        if (Files.isDirectory(jar)) {
            return System.getProperty("java.class.path");
        }
        Path lib = jar.getParent().resolve("lib");
        try (Stream<Path> jars = Files.list(lib)) {
            return Stream.concat(Stream.of(jar), jars.filter(p -> p.toString().endsWith(".jar")).sorted())
                    .map(Path::toString).collect(Collectors.joining(java.io.File.pathSeparator));
        }
    }

    private String summary(long millis) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%nLifeboat local stack is up (%.1f s). Data: %s%n%n", millis / 1000.0, layout.home()));
        sb.append(String.format("  %-20s %-44s %s%n", "component", "address", "notes"));
        sb.append(String.format("  %-20s %-44s %s%n", "kafka", layout.kafkaBootstrap(),
                "KRaft broker, pid " + kafka.pid() + ", topics lifeboat.*"));
        sb.append(String.format("  %-20s %-44s %s%n", "postgresql", layout.jdbcUrl(),
                "PostgreSQL " + postgres.version() + ", user/password lifeboat"
                        + (postgres.fresh() ? ", new database" : ", existing data")));
        for (AppNode a : apps) {
            sb.append(String.format("  %-20s %-44s %s%n", a.app().name(), a.baseUrl(),
                    "/q/health UP, /q/swagger-ui, /q/metrics, pid " + a.pid()));
        }
        String bind = AppNode.bindAddress();
        sb.append(String.format("%n  HTTP listeners on %s%s.%n  Built-in users of the profile 'local', easy on"
                + " purpose: viewer/viewer, operator/operator; agent/agent on the watchdog-service.%n"
                + "  (The production profile has none and refuses weak passwords: deploy/README.md.)%n", bind,
                bind.equals("127.0.0.1") ? " (loopback; LIFEBOAT_BIND=0.0.0.0 opens them)" : ""));
        sb.append(String.format("  Simulator control API (changes): -H \"Authorization: Bearer $(cat %s)\"%n",
                layout.home().resolve("simulator-control.token")));
        sb.append(String.format("  Try: curl -u viewer:viewer http://localhost:%d/api/v1/sources%n"
                + "       curl http://localhost:%d/sim/v1/sources%n",
                layout.apps().get(1).port(), layout.apps().get(0).port()));
        sb.append(String.format("%n  Logs: %s/*.log    Stop: ./lifeboat down%s%n", layout.logs(),
                detached() ? "" : " (or Ctrl-C here)"));
        return sb.toString();
    }

    /** {@code ./lifeboat up --no-wait}: ready when the services are, without waiting for the first inventory. */
    private static boolean noWait() {
        return "1".equals(System.getenv("LIFEBOAT_NO_WAIT"));
    }

    /** Started by {@code ./lifeboat up -d}: no terminal to press Ctrl-C in. */
    private static boolean detached() {
        return "1".equals(System.getenv("LIFEBOAT_DETACHED"));
    }

    private void stop() {
        if (supervisor != null) {
            supervisor.stop();
        }
        try {
            for (int i = apps.size() - 1; i >= 0; i--) {
                apps.get(i).close();
            }
            if (kafka != null) {
                kafka.close();
            }
            if (postgres != null) {
                postgres.close();
            }
            Files.deleteIfExists(layout.run().resolve("ready"));
            Files.deleteIfExists(layout.run().resolve("stack.pid"));
            System.out.println("lifeboat: stopped");
        } catch (Exception e) {
            System.err.println("lifeboat: while stopping: " + e);
        } finally {
            stopped.countDown();
        }
    }
}
