package dev.quarry.api.jobs;

import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.ProblemKind;
import dev.quarry.events.JobEventType;
import dev.quarry.jobs.IllegalTransitionException;
import dev.quarry.jobs.Job;
import dev.quarry.jobs.JobStatus;
import dev.quarry.jobs.PgJobStore;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.UUID;

/**
 * Cancels a job. One that has not started is cancelled at once and withdrawn from JobRunr; a running one
 * is marked CANCEL_REQUESTED and the worker, which checks between steps and embedding batches, stops it
 * and rolls its partial results back. A finished job cannot be cancelled (409).
 */
@Component
class JobCancellation {
    private final PgJobStore jobs;
    private final JobEnqueuer enqueuer;

    JobCancellation(PgJobStore jobs, JobEnqueuer enqueuer) {
        this.jobs = jobs;
        this.enqueuer = enqueuer;
    }

    Job cancel(String tenant, UUID id) {
        // A worker may move the job concurrently (QUEUED -> RUNNING): retry with the status we lost to.
        for (int attempt = 0; attempt < 3; attempt++) {
            Job job = jobs.find(tenant, id).orElseThrow(() -> ApiProblem.notFound("job", id));
            try {
                return switch (job.status()) {
                    case QUEUED, RETRY_SCHEDULED -> cancelWaiting(job);
                    case RUNNING -> requestStop(job);
                    case CANCEL_REQUESTED -> job;
                    case SUCCEEDED, FAILED, CANCELLED, DEAD_LETTERED -> throw new ApiProblem(ProblemKind.JOB_FINISHED,
                            "job " + id + " already finished with status " + job.status());
                };
            } catch (IllegalTransitionException lostRace) {
                // read the new status and decide again
            }
        }
        throw new ApiProblem(ProblemKind.SERVICE_UNAVAILABLE, "job " + id + " keeps changing status; retry");
    }

    private Job cancelWaiting(Job job) {
        jobs.transition(job.id(), job.tenantId(), JobStatus.CANCELLED, JobEventType.CANCELLED,
                Map.of("reason", "cancelled before it ran"), null);
        enqueuer.withdraw(job.id());
        return jobs.find(job.tenantId(), job.id()).orElseThrow();
    }

    private Job requestStop(Job job) {
        jobs.transition(job.id(), job.tenantId(), JobStatus.CANCEL_REQUESTED, JobEventType.CANCEL_REQUESTED,
                Map.of(), null);
        return jobs.find(job.tenantId(), job.id()).orElseThrow();
    }
}
