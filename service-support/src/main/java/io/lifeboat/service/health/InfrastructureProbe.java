package io.lifeboat.service.health;

import io.lifeboat.service.kafka.KafkaSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Checks PostgreSQL and Kafka in the background, every {@code lifeboat.health.probe-interval}, with short timeouts,
 * so that health answers at once from the last result whatever is down (the built-in checks wait for a connection
 * or for the broker and answered nothing for 30 s during an outage). The database is checked on a connection of its
 * own, not from the pool: a pool busy with a long batch is not a database outage.
 */
@ApplicationScoped
public class InfrastructureProbe {

    private static final Logger LOG = Logger.getLogger(InfrastructureProbe.class);

    /** The outcome of one check. */
    public record Status(boolean up, String detail, Instant checkedAt) {
        static Status unknown() {
            return new Status(false, "not checked yet", Instant.now());
        }
    }

    @Inject
    Config config;

    @ConfigProperty(name = "lifeboat.health.probe-interval", defaultValue = "1s")
    Duration interval;

    @ConfigProperty(name = "quarkus.application.name", defaultValue = "lifeboat")
    String service;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    Optional<String> jdbcUrl;

    @ConfigProperty(name = "quarkus.datasource.username")
    Optional<String> jdbcUser;

    @ConfigProperty(name = "quarkus.datasource.password")
    Optional<String> jdbcPassword;

    private volatile Status database = Status.unknown();
    private volatile Status kafka = Status.unknown();
    private volatile boolean stopping;
    private Thread thread;
    private Connection connection;
    private Admin admin;

    void start(@Observes @Priority(5) StartupEvent e) {
        admin = Admin.create(KafkaSettings.from(config).admin(service + "-probe"));
        thread = new Thread(this::loop, "lifeboat-infrastructure-probe");
        thread.setDaemon(true);
        check();
        thread.start();
    }

    void stop(@Observes @Priority(30) ShutdownEvent e) {
        stopping = true;
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void loop() {
        while (!stopping) {
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                break;
            }
            check();
        }
        closeConnection();
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
    }

    private final Object dbLock = new Object();

    private void check() {
        synchronized (dbLock) {
            database = checkDatabase();
        }
        kafka = checkKafka();
    }

    /** The last database check, at most an interval old. */
    public Status database() {
        return stale(database);
    }

    public Status kafka() {
        return stale(kafka);
    }

    /** Checked now, on the probe's connection: used before deciding that a record, not the database, is at fault. */
    public boolean databaseReachableNow() {
        synchronized (dbLock) {
            database = checkDatabase();
            return database.up();
        }
    }

    private Status stale(Status s) {
        Duration age = Duration.between(s.checkedAt(), Instant.now());
        if (age.compareTo(interval.multipliedBy(5).plusSeconds(5)) > 0) {
            return new Status(false, "no check for " + age.toSeconds() + " s (the probe is stuck)", s.checkedAt());
        }
        return s;
    }

    private Status checkDatabase() {
        if (jdbcUrl.isEmpty()) {
            return new Status(true, "no database configured", Instant.now());
        }
        try {
            if (connection == null || connection.isClosed()) {
                Properties p = new Properties();
                jdbcUser.ifPresent(u -> p.setProperty("user", u));
                jdbcPassword.ifPresent(pw -> p.setProperty("password", pw));
                p.setProperty("connectTimeout", "2");
                p.setProperty("socketTimeout", "3");
                p.setProperty("loginTimeout", "3");
                p.setProperty("ApplicationName", service + "-probe");
                connection = DriverManager.getConnection(jdbcUrl.get(), p);
            }
            if (connection.isValid(2)) {
                return new Status(true, "reachable", Instant.now());
            }
            closeConnection();
            return new Status(false, "the database did not answer within 2 s", Instant.now());
        } catch (Exception e) {
            closeConnection();
            LOG.debugf("database probe: %s", e.getMessage());
            return new Status(false, "unreachable: " + firstLine(e.getMessage()), Instant.now());
        }
    }

    private Status checkKafka() {
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(2000)).nodes().get(3, TimeUnit.SECONDS);
            return new Status(true, "reachable", Instant.now());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return kafka;
        } catch (Exception e) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            return new Status(false, "unreachable: " + c.getClass().getSimpleName()
                    + (c.getMessage() == null ? "" : ": " + firstLine(c.getMessage())), Instant.now());
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (Exception ignored) {
                // already broken
            }
            connection = null;
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
