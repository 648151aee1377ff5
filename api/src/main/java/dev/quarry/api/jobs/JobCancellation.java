package dev.quarry.api.jobs;

import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.ProblemKind;
import dev.quarry.jobs.IllegalTransitionException;
import dev.quarry.jobs.Job;
import dev.quarry.jobs.JobDispatcher;
import dev.quarry.jobs.JobEventData;
import dev.quarry.jobs.JobLifecycle;
import dev.quarry.jobs.PgJobStore;
import org.springframework.stereotype.Component;

import java.util.UUID;

/**
 * Cancels a job. One that has not started is cancelled at once and withdrawn from JobRunr; a running one
 * is marked CANCEL_REQUESTED and the worker, which checks between steps and embedding batches, stops it
 * and rolls its partial results back. A finished job cannot be cancelled (409).
 */
@Component
class JobCancellation {
    private final PgJobStore jobs;
    private final JobLifecycle lifecycle;
    private final JobDispatcher dispatcher;

    JobCancellation(PgJobStore jobs, JobLifecycle lifecycle, JobDispatcher dispatcher) {
        this.jobs = jobs;
        this.lifecycle = lifecycle;
        this.dispatcher = dispatcher;
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
        lifecycle.cancel(job.id(), job.tenantId(), JobEventData.Cancelled.because("cancelled before it ran"));
        dispatcher.withdraw(job.id());
        return jobs.find(job.tenantId(), job.id()).orElseThrow();
    }

    private Job requestStop(Job job) {
        lifecycle.requestCancel(job.id(), job.tenantId(), JobEventData.CancelRequested.BY_CLIENT);
        return jobs.find(job.tenantId(), job.id()).orElseThrow();
    }
}
