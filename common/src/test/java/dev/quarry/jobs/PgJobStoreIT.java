package dev.quarry.jobs;

import dev.quarry.events.JobEvent;
import dev.quarry.events.JobEventChannels;
import dev.quarry.events.JobEventType;
import dev.quarry.events.PgJobEventStore;
import dev.quarry.testing.CommonTestApplication;
import dev.quarry.testing.Databases;
import dev.quarry.testing.TestServices;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@SpringBootTest(classes = CommonTestApplication.class)
class PgJobStoreIT {

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        TestServices.register(registry);
    }

    @Autowired PgJobStore jobs;

    @Autowired JobLifecycle lifecycle;
    @Autowired PgJobEventStore events;
    @Autowired JdbcTemplate jdbc;
    @Autowired RedisConnectionFactory redis;

    @BeforeEach
    void clean() {
        Databases.truncateQuarryTables(jdbc);
    }

    private Job newJob(String tenant) {
        return jobs.create(new NewJob(UUID.randomUUID(), tenant, JobType.INGEST, null, "key-" + UUID.randomUUID(), null));
    }

    @Test
    void a_new_job_is_queued_with_a_queued_event() {
        Job job = newJob("acme");

        assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(events.after(job.id(), "acme", 0)).extracting(JobEvent::type).containsExactly("queued");
    }

    @Test
    void legal_transitions_update_status_attempts_and_timestamps() {
        Job job = newJob("acme");

        lifecycle.start(job.id(), "acme", JobEventData.Started.NOTHING);
        lifecycle.succeed(job.id(), "acme", JobEventData.Succeeded.NOTHING);

        Job done = jobs.find("acme", job.id()).orElseThrow();
        assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(done.attempts()).isEqualTo(1);
        assertThat(done.startedAt()).isNotNull();
        assertThat(done.finishedAt()).isNotNull();
        assertThat(events.after(job.id(), "acme", 0)).extracting(JobEvent::type)
                .containsExactly("queued", "started", "succeeded");
    }

    @Test
    void an_illegal_transition_is_rejected_and_changes_nothing() {
        Job job = newJob("acme");

        assertThatThrownBy(() -> lifecycle.succeed(job.id(), "acme", JobEventData.Succeeded.NOTHING))
                .isInstanceOf(IllegalTransitionException.class);

        assertThat(jobs.find("acme", job.id()).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
        assertThat(events.after(job.id(), "acme", 0)).hasSize(1);
    }

    @Test
    void another_tenant_neither_sees_nor_moves_the_job() {
        Job job = newJob("acme");

        assertThat(jobs.find("other", job.id())).isEmpty();
        assertThat(events.after(job.id(), "other", 0)).isEmpty();
        assertThatThrownBy(() -> lifecycle.start(job.id(), "other", JobEventData.Started.NOTHING))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void replay_after_an_event_id_returns_only_later_events() {
        Job job = newJob("acme");
        lifecycle.start(job.id(), "acme", JobEventData.Started.NOTHING);
        JobEvent progress = lifecycle.progress(job.id(), "acme", new JobEventData.Progress("embed", 1, 4));
        lifecycle.succeed(job.id(), "acme", JobEventData.Succeeded.NOTHING);

        assertThat(events.after(job.id(), "acme", progress.id())).extracting(JobEvent::type).containsExactly("succeeded");
        assertThat(progress.data()).containsEntry("percent", 25).containsEntry("step", "embed");
    }

    @Test
    void committed_events_are_published_live_on_the_jobs_redis_channel() {
        UUID id = UUID.randomUUID();
        List<String> received = new CopyOnWriteArrayList<>();
        var container = new RedisMessageListenerContainer();
        container.setConnectionFactory(redis);
        container.addMessageListener((message, pattern) -> received.add(new String(message.getBody())),
                new ChannelTopic(JobEventChannels.forJob(id)));
        container.afterPropertiesSet();
        container.start();
        try {
            await().atMost(Duration.ofSeconds(5)).until(container::isListening);
            jobs.create(new NewJob(id, "acme", JobType.INGEST, null, "k", null));
            await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);
            // The channel is a doorbell: it carries the event id, and subscribers read the event itself.
            JobEvent queued = events.after(id, "acme", 0).get(0);
            assertThat(queued.type()).isEqualTo("queued");
            assertThat(received.get(0)).isEqualTo(Long.toString(queued.id()));
        } finally {
            container.stop();
        }
    }

    @Test
    void a_requeue_starts_a_fresh_attempt_cycle_and_goes_back_through_the_outbox() {
        Job job = newJob("acme");
        jobs.markEnqueued(job.id());
        lifecycle.start(job.id(), "acme", JobEventData.Started.NOTHING);
        lifecycle.deadLetter(job.id(), "acme", new DeadLetterCause("Corrupt", "corrupt", null, DeadLetterCause.Classification.PERMANENT, 1));
        assertThat(jdbc.queryForObject("select first_failed_at is not null from jobs where id = ?", Boolean.class, job.id())).isTrue();

        java.sql.Timestamp firstRelease = jdbc.queryForObject("select enqueued_at from jobs where id = ?",
                java.sql.Timestamp.class, job.id());

        lifecycle.requeue(job.id(), "acme", new JobEventData.Requeued(null));

        Job requeued = jobs.find("acme", job.id()).orElseThrow();
        assertThat(requeued.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(requeued.attempts()).isZero();
        assertThat(requeued.error()).isNull();
        assertThat(requeued.finishedAt()).isNull();
        // Back in the queue: unreleased, or released anew by a release that ran since (the first one is gone).
        assertThat(jdbc.queryForObject("select enqueued_at from jobs where id = ?", java.sql.Timestamp.class, job.id()))
                .isNotEqualTo(firstRelease);
        assertThat(events.after(job.id(), "acme", 0)).extracting(JobEvent::type)
                .containsExactly("queued", "started", "dead_lettered", "queued");
    }
}
