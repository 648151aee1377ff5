package dev.quarry.api.idempotency;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes expired keys. Expired rows are already ignored when a key is looked up, so this only keeps
 * the table small, and running it in every API instance is harmless.
 * TODO(issue 3): becomes a JobRunr recurring job run by the workers, once they host recurring jobs.
 */
@Component
class ExpiredIdempotencyKeys {
    private static final Logger log = LoggerFactory.getLogger(ExpiredIdempotencyKeys.class);
    private final JdbcClient jdbc;

    ExpiredIdempotencyKeys(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Scheduled(fixedDelayString = "${quarry.idempotency.purge-interval:PT10M}",
            initialDelayString = "${quarry.idempotency.purge-interval:PT10M}")
    void purge() {
        try {
            int deleted = purgeNow();
            if (deleted > 0) log.info("purged {} expired idempotency keys", deleted);
        } catch (RuntimeException e) {
            log.warn("idempotency key purge failed, will retry: {}", e.toString());
        }
    }

    int purgeNow() {
        return jdbc.sql("delete from idempotency_keys where expires_at <= now()").update();
    }
}
