package dev.quarry.worker.ingest;

import dev.quarry.jobs.JobLifecycle;
import dev.quarry.jobs.JobEventData;
import dev.quarry.events.JobEvent;
import dev.quarry.events.JobEventType;
import dev.quarry.events.PgJobEventStore;
import dev.quarry.jobs.IngestDocumentHandler;
import dev.quarry.jobs.IngestDocumentJob;
import dev.quarry.jobs.Job;
import dev.quarry.jobs.JobStatus;
import dev.quarry.worker.testing.Documents;
import dev.quarry.testing.SampleFiles;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Issue 3: a running job stops at its next embedding batch once its cancellation is requested. */
class IngestCancelIT extends IngestJobTest {
    /** The most segments one job ever has queued at the embedding batcher (EmbedStep.BATCHES_AHEAD × 32). */
    private static final int QUEUED_AT_MOST = 4 * 32;

    @Autowired PgJobEventStore events;

    @Autowired JobLifecycle lifecycle;
    @Autowired IngestDocumentHandler handler;

    @Test
    void a_running_job_whose_cancel_is_requested_stops_within_a_few_batches_and_stores_nothing() {
        UUID documentId = Documents.insert(jdbc, "acme", SampleFiles.text("big.txt", "text/plain", bigDocument()));
        Job job = ingest.submit("acme", documentId);
        awaitEmbedding(job);

        // What the API's POST /jobs/{id}/cancel does for a running job.
        lifecycle.requestCancel(job.id(), "acme", JobEventData.CancelRequested.BY_CLIENT);
        double embeddedAtCancel = ingest.segmentsEmbedded();
        Job done = ingest.awaitFinished("acme", job.id(), Duration.ofMinutes(2));

        assertThat(done.status()).isEqualTo(JobStatus.CANCELLED);
        // Progress the job made before it noticed may be recorded after the request; 'cancelled' is last.
        assertThat(events.after(job.id(), "acme", 0)).extracting(JobEvent::type)
                .contains("cancel_requested").endsWith("cancelled").doesNotContain("succeeded");
        assertThat(jdbc.queryForObject("select count(*) from chunks where document_id = ?", Integer.class, documentId))
                .isZero();
        assertThat(Documents.status(jdbc, documentId)).isEqualTo("PENDING");
        assertThat(ingest.segmentsEmbedded() - embeddedAtCancel).as("segments embedded after the cancel request")
                .isLessThanOrEqualTo(QUEUED_AT_MOST);
        assertThat(jdbc.queryForObject("select count(*) from pipeline_steps where document_id = ? and step = 'store'",
                Integer.class, documentId)).isZero();
    }

    @Test
    void a_running_job_deleted_in_jobrunr_ends_cancelled_when_jobrunr_interrupts_it() {
        UUID documentId = Documents.insert(jdbc, "acme", SampleFiles.text("big.txt", "text/plain", bigDocument()));
        Job job = ingest.submit("acme", documentId);
        awaitEmbedding(job);

        // JobRunr's own way (its dashboard does the same): the thread is interrupted at JobRunr's next poll.
        scheduler.delete(job.id());
        Job done = ingest.awaitFinished("acme", job.id(), Duration.ofMinutes(2));

        assertThat(done.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(events.after(job.id(), "acme", 0)).extracting(JobEvent::type).endsWith("cancel_requested", "cancelled");
        assertThat(jdbc.queryForObject("select count(*) from chunks where document_id = ?", Integer.class, documentId))
                .isZero();
    }

    @Test
    void a_job_whose_worker_died_after_the_cancel_request_is_cancelled_when_it_runs_again() throws Exception {
        UUID documentId = Documents.insert(jdbc, "acme", SampleFiles.text("a.txt", "text/plain", "A short note."));
        Job job = ingest.submit("acme", documentId);
        ingest.awaitFinished("acme", job.id());
        jdbc.update("update jobs set status = 'CANCEL_REQUESTED' where id = ?", job.id());
        jdbc.update("delete from chunks where document_id = ?", documentId);

        handler.run(new IngestDocumentJob(job.id(), documentId, "acme"));

        assertThat(jobs.find("acme", job.id()).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(jdbc.queryForObject("select count(*) from chunks where document_id = ?", Integer.class, documentId))
                .isZero();
    }

    /** Until the job has committed its first embedding batch. */
    private void awaitEmbedding(Job job) {
        await().atMost(IngestJobs.PICKUP).pollInterval(Duration.ofMillis(100)).until(() -> {
            Job now = jobs.find("acme", job.id()).orElseThrow();
            return "embed".equals(now.currentStep()) && now.progressDone() >= 32;
        });
    }

    /** About 800 chunks of text no other test embeds. */
    private static String bigDocument() {
        String run = UUID.randomUUID().toString();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 6000; i++) {
            text.append("Paragraph ").append(i).append(" of run ").append(run)
                    .append(" compares the measured skin friction with laminar theory at station ").append(i * 7)
                    .append(". ");
            if (i % 8 == 7) text.append("\n\n");
        }
        return text.toString();
    }
}
