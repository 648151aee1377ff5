package dev.quarry.jobs;

import dev.quarry.events.JobEvent;
import dev.quarry.events.PgJobEventStore;
import dev.quarry.testing.CommonTestApplication;
import dev.quarry.testing.Databases;
import dev.quarry.testing.TestServices;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The named operations: each records its own event, with the payload clients read. */
@SpringBootTest(classes = CommonTestApplication.class)
@RecordApplicationEvents
class JobLifecycleIT {
    private static final DeadLetterCause CORRUPT = new DeadLetterCause("CorruptFile", "not a PDF", "java.io.EOFException: eof",
            DeadLetterCause.Classification.PERMANENT, 1);

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        TestServices.register(registry);
    }

    @Autowired JobLifecycle lifecycle;
    @Autowired PgJobStore jobs;
    @Autowired PgJobEventStore events;
    @Autowired DeadLetters deadLetters;
    @Autowired JdbcTemplate jdbc;
    @Autowired ApplicationEvents published;

    @BeforeEach
    void clean() {
        Databases.truncateQuarryTables(jdbc);
    }

    private UUID runningJob(String tenant) {
        UUID id = UUID.randomUUID();
        jobs.create(new NewJob(id, tenant, JobType.INGEST, null, "k-" + id, null));
        lifecycle.start(id, tenant, JobEventData.Started.NOTHING);
        return id;
    }

    private List<String> types(UUID id, String tenant) {
        return events.after(id, tenant, 0).stream().map(JobEvent::type).toList();
    }

    @Test
    void dead_lettering_emits_dead_lettered_not_failed_and_opens_one_entry() {
        UUID id = runningJob("acme");

        JobEvent event = lifecycle.deadLetter(id, "acme", CORRUPT);

        assertThat(event.type()).isEqualTo("dead_lettered");
        assertThat(event.isTerminal()).isTrue();
        assertThat(types(id, "acme")).containsExactly("queued", "started", "dead_lettered");
        assertThat(event.data()).containsEntry("classification", "PERMANENT").containsEntry("errorClass", "CorruptFile")
                .containsEntry("attempts", 1).containsEntry("status", "DEAD_LETTERED").containsEntry("error", "not a PDF")
                .containsKey("deadLetterId");
        assertThat(jdbc.queryForObject("select id from dead_letter_jobs where job_id = ?", UUID.class, id))
                .isEqualTo(UUID.fromString((String) event.data().get("deadLetterId")));
        assertThat(jobs.find("acme", id).orElseThrow().status()).isEqualTo(JobStatus.DEAD_LETTERED);
        assertThat(published.stream(JobDeadLettered.class))
                .containsExactly(new JobDeadLettered(id, "acme", JobType.INGEST, null));
    }

    @Test
    void a_repeated_dead_letter_decision_changes_nothing() {
        UUID id = runningJob("acme");
        lifecycle.deadLetter(id, "acme", CORRUPT);

        assertThat(lifecycle.deadLetter(id, "acme", CORRUPT)).isNull();

        assertThat(jdbc.queryForObject("select count(*) from dead_letter_jobs where job_id = ?", Integer.class, id)).isOne();
        assertThat(types(id, "acme")).containsExactly("queued", "started", "dead_lettered");
    }

    @Test
    void each_operation_records_its_own_event_with_the_wire_payload() {
        UUID id = runningJob("acme");
        Instant next = Instant.parse("2026-01-01T00:00:05Z");
        lifecycle.progress(id, "acme", new JobEventData.Progress("scrub", 1, 4, Map.of("emails", 2)));
        lifecycle.scheduleRetry(id, "acme", new JobEventData.RetryScheduled(1, next, "SocketTimeoutException"), "timed out");
        lifecycle.start(id, "acme", new JobEventData.Started(null, "w1", null));
        lifecycle.requestCancel(id, "acme", JobEventData.CancelRequested.BY_CLIENT);
        lifecycle.cancel(id, "acme", JobEventData.Cancelled.because("cancel requested"));

        List<JobEvent> all = events.after(id, "acme", 0);
        assertThat(all).extracting(JobEvent::type).containsExactly("queued", "started", "progress", "retrying",
                "started", "cancel_requested", "cancelled");
        assertThat(all.get(0).data()).isEqualTo(Map.of("type", "ingest"));
        assertThat(all.get(2).data()).isEqualTo(Map.of("step", "scrub", "done", 1, "total", 4, "percent", 25, "emails", 2));
        assertThat(all.get(3).data()).isEqualTo(Map.of("attempt", 1, "nextRunAt", "2026-01-01T00:00:05Z",
                "errorClass", "SocketTimeoutException", "status", "RETRY_SCHEDULED", "error", "timed out"));
        assertThat(all.get(4).data()).isEqualTo(Map.of("worker", "w1", "status", "RUNNING"));
        assertThat(all.get(5).data()).isEqualTo(Map.of("status", "CANCEL_REQUESTED"));
        assertThat(all.get(6).data()).isEqualTo(Map.of("reason", "cancel requested", "status", "CANCELLED"));
        assertThat(jobs.find("acme", id).orElseThrow().currentStep()).isEqualTo("scrub");
    }

    @Test
    void progress_events_written_together_keep_their_order() {
        UUID id = runningJob("acme");

        List<JobEvent> written = lifecycle.progress(id, "acme", List.of(new JobEventData.Progress("extract", 1, 1),
                new JobEventData.Progress("chunk", 1, 1), new JobEventData.Progress("embed", 3, 8)));

        assertThat(written).extracting(e -> e.data().get("step")).containsExactly("extract", "chunk", "embed");
        assertThat(written).extracting(JobEvent::id).isSorted();
        Job job = jobs.find("acme", id).orElseThrow();
        assertThat(job.currentStep()).isEqualTo("embed");
        assertThat(job.percent()).isEqualTo(38);
    }

    @Test
    void cancellation_is_requested_only_once_the_status_says_so() {
        UUID id = runningJob("acme");
        assertThat(lifecycle.cancelRequested(id)).isFalse();

        lifecycle.requestCancel(id, "acme", JobEventData.CancelRequested.BY_CLIENT);

        assertThat(lifecycle.cancelRequested(id)).isTrue();
    }

    @Test
    void a_requeued_dead_letter_closes_its_entry_and_queues_a_fresh_attempt_cycle() {
        UUID id = runningJob("acme");
        UUID entry = UUID.fromString((String) lifecycle.deadLetter(id, "acme", CORRUPT).data().get("deadLetterId"));

        assertThat(deadLetters.requeue(entry, "other")).as("another tenant's entry").isEmpty();
        Job requeued = deadLetters.requeue(entry, "acme").orElseThrow();

        assertThat(requeued.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(requeued.attempts()).isZero();
        assertThat(events.after(id, "acme", 0).get(3).data())
                .isEqualTo(Map.of("requeued", true, "deadLetterId", entry.toString(), "status", "QUEUED"));
        assertThat(jdbc.queryForObject("select requeued_at is not null from dead_letter_jobs where id = ?", Boolean.class,
                entry)).isTrue();
        assertThat(deadLetters.requeue(entry, null)).as("closed already").isEmpty();
    }

    @Test
    void a_discarded_dead_letter_is_gone_and_its_job_stays_dead_lettered() {
        UUID id = runningJob("acme");
        UUID entry = UUID.fromString((String) lifecycle.deadLetter(id, "acme", CORRUPT).data().get("deadLetterId"));

        assertThat(deadLetters.discard(entry, "other")).isFalse();
        assertThat(deadLetters.discard(entry, null)).isTrue();

        assertThat(jdbc.queryForObject("select count(*) from dead_letter_jobs", Integer.class)).isZero();
        assertThat(jobs.find("acme", id).orElseThrow().status()).isEqualTo(JobStatus.DEAD_LETTERED);
    }
}
