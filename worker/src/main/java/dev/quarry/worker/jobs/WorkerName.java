package dev.quarry.worker.jobs;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * This worker process's name: {@code quarry.worker.name} ({@code QUARRY_WORKER_NAME}), else JobRunr's server
 * name if one is configured, else host, process id and a random boot id. It must be unique per process start:
 * a restarted process must not reuse a dead one's name, and host:pid alone does (in a container the pid is
 * always 1 and the host name survives a restart), hence the boot id. A configured name is taken as it is:
 * whoever sets one promises that uniqueness. The name is recorded on every job this process starts
 * ({@code started} event, {@code worker}), it is JobRunr's server name, and its database sessions carry it
 * as {@link #applicationName}, which {@link LostWorkerSweeper} relies on: a generated name is therefore short
 * enough that the application_name keeps all of it, the boot id included.
 */
@Component
public class WorkerName {
    private static final String PREFIX = "quarry-worker:";
    /** PostgreSQL keeps at most 63 bytes of an application_name. */
    private static final int APPLICATION_NAME_LIMIT = 63;
    private static final int BOOT_ID_HEX_DIGITS = 6;
    private final String name;

    @Autowired
    WorkerName(@Value("${quarry.worker.name:}") String configured,
               @Value("${jobrunr.background-job-server.name:}") String serverName) {
        this(configured, serverName, hostName(), ProcessHandle.current().pid(), bootId());
    }

    WorkerName(String configured, String serverName, String host, long pid, String bootId) {
        if (configured != null && !configured.isBlank()) name = configured;
        else if (serverName != null && !serverName.isBlank()) name = serverName;
        else name = generated(host, pid, bootId);
    }

    public String value() {
        return name;
    }

    /** The application_name of a worker's database sessions. */
    static String applicationName(String workerName) {
        String full = PREFIX + workerName;
        return full.length() <= APPLICATION_NAME_LIMIT ? full : full.substring(0, APPLICATION_NAME_LIMIT);
    }

    /**
     * host:pid:bootId, the host cut to fit an application_name and made printable ASCII, which PostgreSQL
     * stores unchanged (it would turn every other byte into '?', and the sweeper's match would fail).
     */
    static String generated(String host, long pid, String bootId) {
        String suffix = ":" + pid + ":" + bootId;
        String printable = host.replaceAll("[^\\x20-\\x7e]", "_");
        int room = APPLICATION_NAME_LIMIT - PREFIX.length() - suffix.length();
        return printable.substring(0, Math.min(printable.length(), Math.max(room, 0))) + suffix;
    }

    private static String bootId() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(8 - BOOT_ID_HEX_DIGITS);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
