package dev.quarry.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A server a test owns, on a free port with a temporary directory, that the test may stop and start again
 * (an outage), unlike the shared services of {@link TestServices}, which must never stop. Like those, it is
 * a container where a Docker engine answers and otherwise a local process: {@link PrivatePostgres}
 * ({@code initdb}/{@code pg_ctl} of PostgreSQL 15) and {@link PrivateRedis} ({@code redis-server}), which
 * {@code bin/quarry services} installs. {@link #close()} ends it and deletes the directory; a JVM shutdown
 * hook does the same should the test never get there.
 */
public abstract class PrivateServer implements AutoCloseable {
    protected final Path dir;
    protected final int port;
    private final Thread cleanup = new Thread(this::destroy, "private-server-cleanup");

    protected PrivateServer(String name) {
        try {
            this.dir = Files.createTempDirectory("quarry-" + name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.port = FreePorts.next();
        Runtime.getRuntime().addShutdownHook(cleanup);
    }

    /** PostgreSQL+pgvector with role and database {@code quarry}. */
    public static PrivateServer postgres() {
        return TestServices.dockerAvailable() ? ContainerServer.startPostgres() : PrivatePostgres.start();
    }

    public static PrivateServer redis() {
        return TestServices.dockerAvailable() ? ContainerServer.startRedis() : PrivateRedis.start();
    }

    public int port() {
        return port;
    }

    /** The Spring properties that point an application at this server. */
    public abstract Map<String, String> springProperties();

    /** Stops the server as an outage would; {@link #startAgain()} brings it back with its data. */
    public abstract void stop();

    public abstract void startAgain();

    /** Ends the process at once, whatever state it is in. */
    protected abstract void kill();

    @Override
    public synchronized void close() {
        destroy();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run: nothing to remove
        }
    }

    private synchronized void destroy() {
        try {
            kill();
        } catch (RuntimeException e) {
            // still delete the files below
        } finally {
            Directories.deleteRecursively(dir);
        }
    }
}
