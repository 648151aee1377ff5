package dev.quarry.worker.ingest;

import dev.quarry.jobs.IngestDocumentJob;
import dev.quarry.jobs.Job;
import dev.quarry.jobs.JobType;
import dev.quarry.jobs.NewJob;
import dev.quarry.jobs.PgJobStore;
import io.micrometer.core.instrument.MeterRegistry;
import org.jobrunr.scheduling.JobBuilder;
import org.jobrunr.scheduling.JobRequestScheduler;

import java.time.Duration;
import java.util.UUID;

import static org.awaitility.Awaitility.await;

/** Submits ingest jobs as the API does and reads the worker's meters; shared by the ingest tests. */
record IngestJobs(PgJobStore jobs, JobRequestScheduler scheduler, MeterRegistry meters) {
    static final Duration PICKUP = Duration.ofSeconds(60);

    Job submit(String tenant, UUID documentId) {
        Job job = jobs.create(new NewJob(UUID.randomUUID(), tenant, JobType.INGEST, documentId,
                "key-" + UUID.randomUUID(), null));
        // As the API does: no JobRunr retries, Quarry's retry policy decides.
        scheduler.create(JobBuilder.aJob().withId(job.id()).withAmountOfRetries(0)
                .withJobRequest(new IngestDocumentJob(job.id(), documentId, tenant)));
        return job;
    }

    Job awaitFinished(String tenant, UUID jobId) {
        return awaitFinished(tenant, jobId, PICKUP);
    }

    Job awaitFinished(String tenant, UUID jobId, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(200))
                .until(() -> jobs.find(tenant, jobId).orElseThrow().status().isTerminal());
        return jobs.find(tenant, jobId).orElseThrow();
    }

    /** Segments the embedding model has embedded in this process so far. */
    double segmentsEmbedded() {
        return meters.find("quarry.embedding.segments").counter().count();
    }

    double skipped(String step) {
        var counter = meters.find("quarry.ingest.step.skipped").tag("step", step).counter();
        return counter == null ? 0 : counter.count();
    }

    long ran(String step) {
        var timer = meters.find("quarry.ingest.step").tag("step", step).timer();
        return timer == null ? 0 : timer.count();
    }
}
