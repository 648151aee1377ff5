package dev.quarry.jobs;

import dev.quarry.events.JobEvent;
import dev.quarry.jobs.JobEventData.CancelRequested;
import dev.quarry.jobs.JobEventData.Cancelled;
import dev.quarry.jobs.JobEventData.Failed;
import dev.quarry.jobs.JobEventData.Progress;
import dev.quarry.jobs.JobEventData.Requeued;
import dev.quarry.jobs.JobEventData.RetryScheduled;
import dev.quarry.jobs.JobEventData.Started;
import dev.quarry.jobs.JobEventData.Succeeded;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.util.List;
import java.util.UUID;

/**
 * The only way a job's status changes. Each operation is one named {@link Transition}: it knows the statuses
 * it may start from (by {@link JobStatus}'s table), its target and its event, so no caller picks an event
 * type. Each joins the caller's transaction (or runs in its own), appends its {@code job_events} row with
 * the status change, and publishes it on Redis after commit.
 * <p>
 * Every status-changing operation throws {@link IllegalTransitionException} when the job is not in one of
 * the transition's sources (someone else moved it first); the job then stays as it was.
 */
@Component
public class JobLifecycle {
    private final PgJobStore jobs;
    private final PgDeadLetterJobs deadLetters;
    private final ApplicationEventPublisher listeners;
    private final JobReleaser releaser;

    JobLifecycle(PgJobStore jobs, PgDeadLetterJobs deadLetters, ApplicationEventPublisher listeners,
                 JobReleaser releaser) {
        this.jobs = jobs;
        this.deadLetters = deadLetters;
        this.listeners = listeners;
        this.releaser = releaser;
    }

    /**
     * A move that frees a slot (a start frees one of the window, an end one of its type's limit) has the next
     * jobs released once it commits, instead of at the next sweep.
     */
    private JobEvent freeingSlot(JobEvent event) {
        releaser.requestReleaseAfterCommit();
        return event;
    }

    /** An attempt begins: QUEUED, RETRY_SCHEDULED, or RUNNING (its previous worker died) → RUNNING. */
    @Transactional
    public JobEvent start(UUID id, String tenantId, Started data) {
        return freeingSlot(jobs.move(id, tenantId, Transition.START, data, null));
    }

    /** Progress within a step; the status does not change. */
    @Transactional
    public JobEvent progress(UUID id, String tenantId, Progress progress) {
        return jobs.progress(id, tenantId, List.of(progress)).get(0);
    }

    /**
     * Several progress events at once, one insert for all, in the caller's transaction: an ingest commits its
     * progress with the work of its next step rather than paying a transaction per event.
     */
    @Transactional
    public List<JobEvent> progress(UUID id, String tenantId, List<Progress> progress) {
        return jobs.progress(id, tenantId, progress);
    }

    @Transactional
    public JobEvent succeed(UUID id, String tenantId, Succeeded data) {
        return freeingSlot(jobs.move(id, tenantId, Transition.SUCCEED, data, null));
    }

    /** A transient failure with retries left: RUNNING → RETRY_SCHEDULED until JobRunr runs it again. */
    @Transactional
    public JobEvent scheduleRetry(UUID id, String tenantId, RetryScheduled data, String error) {
        return jobs.move(id, tenantId, Transition.SCHEDULE_RETRY, data, error);
    }

    /** Ends the job without a dead letter: nothing an operator could requeue would succeed (or it is retried by a parent job). */
    @Transactional
    public JobEvent fail(UUID id, String tenantId, Failed data, String error) {
        return freeingSlot(jobs.move(id, tenantId, Transition.FAIL, data, error));
    }

    /**
     * Fails the job for good: one transaction opens its {@code dead_letter_jobs} entry, moves it to
     * DEAD_LETTERED with a {@code dead_lettered} event, and publishes {@link JobDeadLettered} to listeners in
     * the same transaction. Idempotent: a job with an open entry already (a decision repeated after a crash) is
     * left alone.
     *
     * @return the event, or {@code null} if the job was dead-lettered already
     */
    @Transactional
    public JobEvent deadLetter(UUID id, String tenantId, DeadLetterCause cause) {
        UUID entry = deadLetters.open(id, tenantId, cause).orElse(null);
        if (entry == null) return null;
        JobEvent event = jobs.move(id, tenantId, Transition.DEAD_LETTER, new JobEventData.DeadLettered(
                cause.classification().name(), entry, cause.errorClass(), cause.attempts()), cause.error());
        // Synchronous listeners: they run in this transaction, so their writes commit or roll back with it.
        jobs.find(tenantId, id).ifPresent(job -> listeners.publishEvent(
                new JobDeadLettered(id, tenantId, job.type(), job.documentId())));
        return freeingSlot(event);
    }

    /** A running job is asked to stop; its worker sees it through {@link #cancelRequested}. */
    @Transactional
    public JobEvent requestCancel(UUID id, String tenantId, CancelRequested data) {
        return jobs.move(id, tenantId, Transition.REQUEST_CANCEL, data, null);
    }

    /** A job that has not started, or whose worker stopped after a cancel request, is CANCELLED. */
    @Transactional
    public JobEvent cancel(UUID id, String tenantId, Cancelled data) {
        return freeingSlot(jobs.move(id, tenantId, Transition.CANCEL, data, null));
    }

    /**
     * A dead-lettered or failed job back to QUEUED, with a fresh attempt cycle; the caller hands it to JobRunr
     * ({@link JobDispatcher#dispatchAfterCommit}). Dead letters are requeued through {@link DeadLetters}.
     */
    @Transactional
    public JobEvent requeue(UUID id, String tenantId, Requeued data) {
        return jobs.move(id, tenantId, Transition.REQUEUE, data, null);
    }

    /**
     * Whether the job's cancellation was requested (status CANCEL_REQUESTED): the one check running jobs of
     * every family make between steps and batches. A primary-key read.
     */
    public boolean cancelRequested(UUID id) {
        return jobs.cancelRequested(id);
    }
}
