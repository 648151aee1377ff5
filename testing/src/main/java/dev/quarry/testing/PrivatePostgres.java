package dev.quarry.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A PostgreSQL 15 cluster of a test's own (initdb + pg_ctl in a temporary directory, on a free port), for
 * tests that stop and restart the database: the shared server must never go down under other tests.
 * It has role/database {@code quarry}/{@code quarry} with pgvector. Used where no Docker engine answers;
 * {@link #close()} (and, should a test JVM die first, a shutdown hook) stops it and deletes its files.
 * Runs the server as the {@code postgres} OS user when the JVM runs as root, since initdb refuses root.
 */
final class PrivatePostgres extends PrivateServer {
    private static final Path BIN = Path.of(System.getenv().getOrDefault("QUARRY_TEST_PG_BIN",
            "/usr/lib/postgresql/15/bin"));
    private static final String OS_USER = "postgres";
    private boolean running;

    private PrivatePostgres() {
        super("pg");
    }

    /** Creates and starts a cluster; on any failure, leaves nothing behind. */
    static PrivatePostgres start() {
        PrivatePostgres postgres = null;
        try {
            postgres = new PrivatePostgres();
            postgres.initialize();
            postgres.startServer();
            postgres.createDatabase();
            return postgres;
        } catch (IOException | SQLException | RuntimeException e) {
            if (postgres != null) postgres.close();
            throw new IllegalStateException("could not start a private PostgreSQL from " + BIN, e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/quarry";
    }

    /** Spring properties that point an application at this cluster (pool kept small, like every test's). */
    @Override
    public Map<String, String> springProperties() {
        return Map.of("spring.datasource.url", jdbcUrl(), "spring.datasource.username", "quarry",
                "spring.datasource.password", "quarry", "spring.datasource.hikari.maximum-pool-size", "5");
    }

    /** A fast shutdown: open connections are cut, as when a database server crashes or is restarted. */
    @Override
    public synchronized void stop() {
        if (!running) return;
        run(asServerUser(BIN.resolve("pg_ctl").toString(), "stop", "-D", data(), "-m", "fast", "-w"));
        running = false;
    }

    @Override
    public synchronized void startAgain() {
        if (!running) startServer();
    }

    public synchronized boolean running() {
        return running;
    }

    @Override
    protected synchronized void kill() {
        if (running) run(asServerUser(BIN.resolve("pg_ctl").toString(), "stop", "-D", data(), "-m", "immediate", "-w"));
        running = false;
    }

    private void initialize() throws IOException {
        if (isRoot()) run(List.of("chown", OS_USER, dir.toString()));
        run(asServerUser(BIN.resolve("initdb").toString(), "-D", data(), "-U", "postgres", "--auth=trust",
                "--encoding=UTF8", "--no-sync"));
    }

    private void startServer() {
        // Socket directory inside the cluster's own: no clash with the shared server's /var/run/postgresql.
        String options = "-p " + port + " -k " + dir + " -c listen_addresses=localhost -c fsync=off"
                + " -c max_connections=60";
        run(asServerUser(BIN.resolve("pg_ctl").toString(), "start", "-D", data(), "-l", dir.resolve("log").toString(),
                "-o", options, "-w", "-t", "60"));
        running = true;
    }

    private void createDatabase() throws SQLException {
        try (Connection admin = DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres", "postgres", "");
             Statement sql = admin.createStatement()) {
            sql.execute("create role quarry login superuser password 'quarry'");
            sql.execute("create database quarry owner quarry");
        }
        try (Connection quarry = DriverManager.getConnection(jdbcUrl(), "postgres", "");
             Statement sql = quarry.createStatement()) {
            sql.execute("create extension vector");
        }
    }

    private String data() {
        return dir.resolve("data").toString();
    }

    private static List<String> asServerUser(String... command) {
        List<String> line = new ArrayList<>();
        if (isRoot()) line.addAll(List.of("runuser", "-u", OS_USER, "--"));
        line.addAll(List.of(command));
        return line;
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(String.join(" ", command), e);
        }
    }
}
