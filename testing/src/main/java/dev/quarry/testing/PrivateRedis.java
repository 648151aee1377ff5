package dev.quarry.testing;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A redis-server of a test's own (free port, no persistence, temporary directory), for tests that take
 * Redis away: the shared one must never go down under other tests. Used where no Docker engine exists;
 * {@link #close()} (and, should a test JVM die first, a shutdown hook) stops it and deletes its files.
 */
final class PrivateRedis extends PrivateServer {
    private static final String SERVER = System.getenv().getOrDefault("QUARRY_TEST_REDIS_SERVER", "redis-server");
    private Process process;

    private PrivateRedis() {
        super("redis");
    }

    static PrivateRedis start() {
        PrivateRedis redis = null;
        try {
            redis = new PrivateRedis();
            redis.startAgain();
            return redis;
        } catch (RuntimeException e) {
            if (redis != null) redis.close();
            throw new IllegalStateException("could not start a private " + SERVER, e);
        }
    }

    @Override
    public Map<String, String> springProperties() {
        return Map.of("spring.data.redis.host", "localhost", "spring.data.redis.port", Integer.toString(port));
    }

    @Override
    public synchronized void startAgain() {
        if (process != null && process.isAlive()) return;
        try {
            process = new ProcessBuilder(SERVER, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", dir.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        awaitListening();
    }

    @Override
    public synchronized void stop() {
        if (process == null) return;
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        process = null;
    }

    @Override
    protected void kill() {
        stop();
    }

    /** Blocks until the server accepts connections: the process starting is not enough. */
    private void awaitListening() {
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
            if (!process.isAlive()) throw new IllegalStateException(SERVER + " exited: see " + dir.resolve("log"));
            return Sockets.accepts(port);
        });
    }
}
