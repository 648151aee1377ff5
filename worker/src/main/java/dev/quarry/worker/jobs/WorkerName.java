package dev.quarry.worker.jobs;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * This worker process's name: {@code quarry.worker.name} ({@code QUARRY_WORKER_NAME}), else JobRunr's server
 * name if one is configured, else host and process id. It must be unique per process: a restarted process
 * must not reuse a dead one's name (host:pid does not). It is recorded on every job this process starts
 * ({@code started} event, {@code worker}), it is JobRunr's server name, and its database sessions carry it
 * as {@link #applicationName}, which {@link LostWorkerSweeper} relies on.
 */
@Component
public class WorkerName {
    private static final String PREFIX = "quarry-worker:";
    /** PostgreSQL keeps at most 63 bytes of an application_name. */
    private static final int APPLICATION_NAME_LIMIT = 63;
    private final String name;

    WorkerName(@Value("${quarry.worker.name:}") String configured,
               @Value("${jobrunr.background-job-server.name:}") String serverName) {
        if (configured != null && !configured.isBlank()) name = configured;
        else if (serverName != null && !serverName.isBlank()) name = serverName;
        else name = hostName() + ":" + ProcessHandle.current().pid();
    }

    public String value() {
        return name;
    }

    /** The application_name of a worker's database sessions. */
    static String applicationName(String workerName) {
        String full = PREFIX + workerName;
        return full.length() <= APPLICATION_NAME_LIMIT ? full : full.substring(0, APPLICATION_NAME_LIMIT);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
