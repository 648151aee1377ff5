package dev.quarry.worker.jobs;

import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.server.JobSteward;
import org.springframework.stereotype.Component;

/**
 * Makes JobRunr's server fetch enqueued jobs now rather than at its next poll. JobRunr OSS has no public
 * "fetch now", but its {@link JobSteward} fetches at once whenever a worker thread reports itself idle
 * ({@code notifyThreadIdle} runs its OnboardNewWorkTask, which claims up to the free thread count with
 * {@code FOR UPDATE SKIP LOCKED}, so workers woken together never claim a job twice). Reporting a thread
 * occupied first keeps JobRunr's count of busy threads exactly as it was. The fetch is guarded by a
 * {@code tryLock}: while another fetch runs, this one is skipped, which is why the listener fetches a
 * second time shortly after ({@link PickupProperties#followUp()}).
 */
@Component
class JobRunrOnboarding {
    private final BackgroundJobServer server;

    JobRunrOnboarding(BackgroundJobServer server) {
        this.server = server;
    }

    /** Runs on the caller's thread: the fetch query and the hand-over of the claimed jobs to the worker threads. */
    void fetchNow() {
        if (!server.isRunning()) return; // stopped or paused: the watchdog's restart resumes polling
        JobSteward steward = server.getJobSteward();
        steward.notifyThreadOccupied();
        steward.notifyThreadIdle();
    }
}
