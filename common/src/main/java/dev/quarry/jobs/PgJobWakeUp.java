package dev.quarry.jobs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Rings the workers' doorbell when a job has been handed to JobRunr: a PostgreSQL {@code NOTIFY} on
 * {@link #CHANNEL}, which every worker LISTENs to and answers by fetching work at once instead of at
 * JobRunr's next poll (up to 5 s later). Only a doorbell: the notification carries nothing, and a lost one
 * costs latency, never a job, because JobRunr's poll stays the backstop (docs/architecture.md, "Instant
 * pickup").
 */
@Component
public class PgJobWakeUp {
    /** The channel workers LISTEN on. */
    public static final String CHANNEL = "quarry_job_enqueued";
    private static final Logger log = LoggerFactory.getLogger(PgJobWakeUp.class);
    private final JdbcClient jdbc;

    PgJobWakeUp(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Never throws: a failed ring leaves the job to JobRunr's poll. */
    void ring() {
        try {
            jdbc.sql("select pg_notify('" + CHANNEL + "', '')").query().singleValue();
        } catch (RuntimeException e) {
            log.debug("wake-up not sent, JobRunr's poll will pick the job up: {}", e.toString());
        }
    }
}
