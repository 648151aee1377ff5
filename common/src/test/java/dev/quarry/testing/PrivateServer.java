package dev.quarry.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A server process a test owns, on a free port with a temporary directory, that the test may stop and start
 * again. {@link #close()} ends it and deletes the directory; a JVM shutdown hook does the same should the
 * test never get there.
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

    public int port() {
        return port;
    }

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
