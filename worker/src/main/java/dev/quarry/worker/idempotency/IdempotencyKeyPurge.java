package dev.quarry.worker.idempotency;

import dev.quarry.idempotency.PgIdempotencyKeys;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jobrunr.jobs.annotations.Job;
import org.jobrunr.jobs.annotations.Recurring;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Deletes expired Idempotency-Key records (the API sets their expiry, {@code quarry.idempotency.ttl}, 24 h by
 * default). A JobRunr recurring job, every {@code quarry.idempotency.purge-interval} (1 h by default): every
 * worker registers it under one id and JobRunr's master server schedules each run once, so one worker purges
 * however many run. Expired records are already ignored when a key is looked up, so a late or failed run only
 * leaves the table larger for a while (JobRunr retries it). Deletes in batches, so that no run holds locks on
 * many rows at once; the table's SQL is common's {@link PgIdempotencyKeys}. Public, with a public method:
 * JobRunr calls it through Spring by reflection.
 */
@Component
public class IdempotencyKeyPurge {
    static final String RECURRING_JOB_ID = "purge-expired-idempotency-keys";
    private static final Logger log = LoggerFactory.getLogger(IdempotencyKeyPurge.class);
    private static final int BATCH = 10_000;
    private final PgIdempotencyKeys keys;
    private final Counter purged;

    IdempotencyKeyPurge(PgIdempotencyKeys keys, MeterRegistry meters) {
        this.keys = keys;
        this.purged = Counter.builder("quarry.idempotency.keys.purged")
                .description("Expired Idempotency-Key records deleted").register(meters);
    }

    @Recurring(id = RECURRING_JOB_ID, interval = "${quarry.idempotency.purge-interval:PT1H}")
    @Job(name = "Purge expired idempotency keys")
    public int purge() {
        int total = 0;
        int deleted;
        do {
            deleted = keys.purgeExpired(BATCH);
            purged.increment(deleted);
            total += deleted;
        } while (deleted == BATCH);
        if (total > 0) log.info("purged {} expired idempotency keys", total);
        return total;
    }
}
