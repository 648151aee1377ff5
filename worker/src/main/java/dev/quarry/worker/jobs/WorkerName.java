package dev.quarry.worker.jobs;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * This worker process's name, recorded on every job it starts ({@code started} event, {@code worker}) so
 * that who ran what can be told after the fact, also across crashes and restarts. {@code quarry.worker.name}
 * ({@code QUARRY_WORKER_NAME}) when set; otherwise host and process id, which a restarted process does
 * not share with its previous life.
 */
@Component
public class WorkerName {
    private final String name;

    WorkerName(@Value("${quarry.worker.name:}") String configured) {
        this.name = configured == null || configured.isBlank() ? hostName() + ":" + ProcessHandle.current().pid() : configured;
    }

    public String value() {
        return name;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
