package dev.quarry.worker.idempotency;

import dev.quarry.testing.Databases;
import dev.quarry.worker.testing.WorkerContext;
import io.micrometer.core.instrument.MeterRegistry;
import org.jobrunr.jobs.RecurringJob;
import org.jobrunr.storage.StorageProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class IdempotencyKeyPurgeIT extends WorkerContext {
    @Autowired IdempotencyKeyPurge purge;
    @Autowired StorageProvider jobRunr;
    @Autowired JdbcTemplate jdbc;
    @Autowired MeterRegistry meters;
    @Autowired Environment environment;

    @BeforeEach
    void clean() {
        Databases.truncateQuarryTables(jdbc);
    }

    @Test
    void expired_keys_of_every_tenant_are_purged_and_fresh_ones_kept() {
        key("acme", "old", "now() - interval '1 second'");
        key("globex", "old", "now() - interval '3 days'");
        key("acme", "fresh", "now() + interval '23 hours'");
        key("globex", "fresh", "now() + interval '1 minute'");
        double before = purged();

        assertThat(purge.purge()).isEqualTo(2);

        assertThat(remaining()).containsExactly("acme/fresh", "globex/fresh");
        assertThat(purged()).isEqualTo(before + 2);
        assertThat(purge.purge()).isZero();
    }

    @Test
    void the_purge_is_a_recurring_jobrunr_job_at_the_configured_interval() {
        RecurringJob recurring = recurringPurge();

        assertThat(recurring.getScheduleExpression())
                .isEqualTo(environment.getProperty("quarry.idempotency.purge-interval"));
        assertThat(Duration.parse(recurring.getScheduleExpression())).isEqualTo(Duration.ofHours(1));
        assertThat(recurring.getJobDetails().getClassName()).isEqualTo(IdempotencyKeyPurge.class.getName());
    }

    @Test
    void a_run_of_the_recurring_job_is_executed_by_the_worker() {
        key("acme", "old", "now() - interval '1 hour'");
        key("acme", "fresh", "now() + interval '1 hour'");

        // What JobRunr's master does when the interval elapses, without waiting an hour for it.
        jobRunr.save(recurringPurge().toEnqueuedJob());

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> remaining().equals(List.of("acme/fresh")));
    }

    private RecurringJob recurringPurge() {
        return jobRunr.getRecurringJobs().stream()
                .filter(job -> job.getId().equals(IdempotencyKeyPurge.RECURRING_JOB_ID))
                .findFirst().orElseThrow(() -> new AssertionError("no recurring job " + IdempotencyKeyPurge.RECURRING_JOB_ID));
    }

    private void key(String tenant, String key, String expiresAt) {
        jdbc.update("insert into idempotency_keys (tenant_id, key, fingerprint, state, expires_at) "
                + "values (?, ?, 'f', 'COMPLETED', " + expiresAt + ")", tenant, key);
    }

    private List<String> remaining() {
        return jdbc.queryForList("select tenant_id || '/' || key from idempotency_keys order by 1", String.class);
    }

    private double purged() {
        return meters.get("quarry.idempotency.keys.purged").counter().count();
    }
}
