package dev.quarry.testing;

import org.springframework.jdbc.core.JdbcTemplate;

/** Puts the shared test database back to empty between test classes. */
public final class Databases {
    private Databases() {
    }

    public static void truncateQuarryTables(JdbcTemplate jdbc) {
        jdbc.execute("truncate documents, document_contents, chunks, jobs, job_events, idempotency_keys cascade");
    }
}
