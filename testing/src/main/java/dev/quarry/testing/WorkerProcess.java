package dev.quarry.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One worker slot, run as a real child JVM that can be killed with SIGKILL and started again. Each start is a
 * new generation with its own name ({@code <slot>-<generation>}), passed as {@code quarry.worker.name} and as
 * JobRunr's server name, so the {@code started} events tell which process ran each attempt.
 */
public final class WorkerProcess implements AutoCloseable {
    private static final String MAIN = "dev.quarry.worker.WorkerApplication";
    private final String slot;
    private final List<String> launcher;
    private final Map<String, String> properties;
    private final Map<String, String> environment;
    private final Path log;
    private Process process;
    private int generation;

    /**
     * @param launcher   the command up to the application's arguments, e.g. {@link #fromClasspath} or {@link #fromJar}
     * @param properties Spring properties, passed as {@code --name=value} (they outrank any application.yml)
     */
    public WorkerProcess(String slot, List<String> launcher, Map<String, String> properties, Path logDirectory) {
        this(slot, launcher, properties, Map.of(), logDirectory);
    }

    /**
     * @param environment variables set for the process on top of this JVM's, e.g. the standard
     *                    {@code OTEL_*} ones, which an operator sets as variables rather than properties
     */
    public WorkerProcess(String slot, List<String> launcher, Map<String, String> properties,
                         Map<String, String> environment, Path logDirectory) {
        this.slot = slot;
        this.launcher = List.copyOf(launcher);
        this.properties = new LinkedHashMap<>(properties);
        this.environment = Map.copyOf(environment);
        this.log = logDirectory.resolve(slot + ".log");
    }

    public static List<String> fromClasspath(String classpath, String heap) {
        return List.of(javaBinary(), "-Xmx" + heap, "-cp", classpath, MAIN);
    }

    public static List<String> fromJar(Path jar, String heap) {
        return List.of(javaBinary(), "-Xmx" + heap, "-jar", jar.toString());
    }

    /** Starts a new generation of this slot; its output is appended to {@code <slot>.log}. */
    public synchronized void start() throws IOException {
        if (alive()) throw new IllegalStateException(name() + " is running");
        generation++;
        List<String> command = new ArrayList<>(launcher);
        command.add("--quarry.worker.name=" + name());
        command.add("--jobrunr.background-job-server.name=" + name());
        properties.forEach((key, value) -> command.add("--" + key + "=" + value));
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        process = builder.start();
    }

    /** SIGKILL, as {@code kill -9}: no shutdown hook, no graceful stop of JobRunr. Waits until it is gone. */
    public synchronized void kill() throws InterruptedException {
        if (process == null) return;
        process.destroyForcibly();
        process.waitFor();
    }

    public synchronized String name() {
        return slot + "-" + generation;
    }

    public synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    public Path log() {
        return log;
    }

    /**
     * SIGTERM, as {@code kill} or a container stop, and waits up to {@code within} for the process to exit.
     *
     * @return false if it was still running then (it is left running: {@link #close()} ends it)
     */
    public synchronized boolean stop(java.time.Duration within) throws InterruptedException {
        if (process == null || !process.isAlive()) return true;
        process.destroy();
        return process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A graceful stop (SIGTERM), then SIGKILL if it takes longer than 30 s. */
    @Override
    public synchronized void close() throws InterruptedException {
        if (process == null || !process.isAlive()) return;
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) kill();
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
