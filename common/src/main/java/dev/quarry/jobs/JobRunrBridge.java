package dev.quarry.jobs;

import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.exceptions.IllegalJobThreadStateException;
import org.jobrunr.jobs.filters.ElectStateFilter;
import org.jobrunr.jobs.lambdas.JobRequest;
import org.jobrunr.jobs.states.FailedState;
import org.jobrunr.jobs.states.ProcessingState;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.scheduling.JobBuilder;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.jobrunr.storage.ConcurrentJobModificationException;
import org.jobrunr.storage.JobNotFoundException;
import org.jobrunr.storage.StorageProvider;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.jobrunr.storage.Paging.AmountBasedList.ascOnUpdatedAt;

/**
 * The one place that reads JobRunr's job states and says what they mean for Quarry's jobs. JobRunr only
 * runs them: Quarry's {@code jobs} row holds the public status, and JobRunr's copy is created with no retries
 * of its own. Everything else (dispatch, cancellation, retries, lost workers) asks here.
 */
@Component
public class JobRunrBridge {
    /** What JobRunr fails a run with when its worker stopped updating it (ProcessOrphanedJobsTask). */
    private static final String ORPHANED = IllegalJobThreadStateException.class.getName();
    private final JobRequestScheduler scheduler;
    private final StorageProvider storage;

    JobRunrBridge(JobRequestScheduler scheduler, StorageProvider storage) {
        this.scheduler = scheduler;
        this.storage = storage;
    }

    /**
     * Gives JobRunr a run of the job, with no JobRunr retries (Quarry owns them). JobRunr silently skips an
     * id it holds, even a finished run: a run still waiting or processing is left alone (a double hand-over is
     * harmless), and a finished one (a requeued job) is replaced by a fresh one, whose retry count starts at 0.
     *
     * @return false if JobRunr already had a live run of it
     */
    boolean create(UUID id, JobRequest request) {
        try {
            if (!finished(storage.getJobById(id))) return false;
            storage.deletePermanently(id);
        } catch (JobNotFoundException firstHandOver) {
            // the usual case
        }
        scheduler.create(JobBuilder.aJob().withId(id).withJobRequest(request).withAmountOfRetries(0)
                .withName(request.getClass().getSimpleName() + " " + id));
        return true;
    }

    /** Whether JobRunr holds a run of the job that it will still start or is running. */
    boolean holdsRun(UUID id) {
        try {
            return !finished(storage.getJobById(id));
        } catch (JobNotFoundException e) {
            return false;
        }
    }

    /** Takes a waiting job out of JobRunr, so no worker starts it; a running one is interrupted at JobRunr's next poll. */
    void delete(UUID id) {
        scheduler.delete(id);
    }

    /** Whether the job was deleted in JobRunr (its dashboard, or {@link #delete}): how a handler tells that interruption from a shutdown. */
    public boolean deleted(UUID id) {
        try {
            return storage.getJobById(id).hasState(StateName.DELETED);
        } catch (JobNotFoundException e) {
            return true;
        }
    }

    /** Runs JobRunr shows processing that their server has not refreshed since {@code since}, oldest first. */
    public List<Job> quietRunning(Instant since, int limit) {
        return storage.getJobList(StateName.PROCESSING, since, ascOnUpdatedAt(limit));
    }

    /** How many jobs the running JobRunr servers (the workers) can run at once, across the cluster. */
    public int runningWorkerThreads() {
        return storage.getBackgroundJobServers().stream().filter(server -> server.isRunning())
                .mapToInt(server -> server.getWorkerPoolSize()).sum();
    }

    /** The server a processing run is on. */
    public static String serverOf(Job run) {
        return run.<ProcessingState>getJobState().getServerName();
    }

    /**
     * Fails a processing run as orphaned (its worker is gone), lets {@code retryPolicy} elect what follows, and
     * saves it.
     *
     * @return false if the run moved on meanwhile (another sweeper or its own worker won)
     */
    public boolean handBack(Job run, String why, ElectStateFilter retryPolicy) {
        run.failed("Worker lost", new IllegalJobThreadStateException(why));
        retryPolicy.onStateElection(run, run.getJobState());
        try {
            storage.save(run);
            return true;
        } catch (ConcurrentJobModificationException e) {
            return false;
        }
    }

    /** The Quarry job a JobRunr run is for, or null for JobRunr's own (recurring maintenance) jobs. */
    public static QuarryJobRequest requestOf(Job run) {
        Object[] parameters = run.getJobDetails().getJobParameterValues();
        return parameters.length > 0 && parameters[0] instanceof QuarryJobRequest request ? request : null;
    }

    /** Whether a failed run was orphaned: its worker died or stopped updating it, the job itself did not fail. */
    public static boolean orphaned(FailedState failed) {
        return ORPHANED.equals(failed.getExceptionType());
    }

    /** All failed runs of the job in JobRunr's history of it (one attempt cycle: a requeue starts a fresh run). */
    public static int failedRuns(Job run) {
        return (int) run.getJobStates().stream().filter(FailedState.class::isInstance).count();
    }

    /** JobRunr is done with this run: it will not run it again by itself. */
    static boolean finished(Job run) {
        return run.hasState(StateName.FAILED) || run.hasState(StateName.DELETED) || run.hasState(StateName.SUCCEEDED);
    }
}
