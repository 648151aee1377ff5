package dev.quarry.worker.export;

import dev.quarry.exports.Export;
import dev.quarry.exports.Exports;
import dev.quarry.jobs.BulkExportHandler;
import dev.quarry.jobs.BulkExportJob;
import dev.quarry.jobs.IllegalTransitionException;
import dev.quarry.jobs.JobDispatcher;
import dev.quarry.jobs.JobEventData;
import dev.quarry.jobs.JobLifecycle;
import dev.quarry.jobs.JobStatus;
import dev.quarry.jobs.PgJobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The parent of a bulk export, the one job its client follows. Its children, one export per scope, were
 * created and dispatched with it and run on any worker; it watches their {@code jobs} rows, reports how many
 * have finished, and ends when all have: SUCCEEDED if every child did, FAILED (naming how many did not)
 * otherwise; each child's file is downloadable on its own either way. A cancel request is passed on to the
 * children that have not finished (queued ones are cancelled at once, running ones asked to stop) and ends
 * the parent CANCELLED.
 */
@Component
class BulkExportJobHandler implements BulkExportHandler {
    private static final Logger log = LoggerFactory.getLogger(BulkExportJobHandler.class);
    private static final String STEP = "exports";
    private final Exports exports;
    private final PgJobStore jobs;
    private final JobLifecycle lifecycle;
    private final JobDispatcher dispatcher;
    private final Duration pollInterval;

    BulkExportJobHandler(Exports exports, PgJobStore jobs, JobLifecycle lifecycle, JobDispatcher dispatcher,
                         @Value("${quarry.export.bulk-poll-interval:PT0.5S}") Duration pollInterval) {
        this.exports = exports;
        this.jobs = jobs;
        this.lifecycle = lifecycle;
        this.dispatcher = dispatcher;
        this.pollInterval = pollInterval;
    }

    @Override
    public void run(BulkExportJob job) throws InterruptedException {
        try {
            lifecycle.start(job.jobId(), job.tenantId(), JobEventData.Started.NOTHING);
        } catch (IllegalTransitionException e) {
            log.info("bulk export {} is {} already; nothing to do", job.jobId(), e.current());
            return;
        }
        List<UUID> children = exports.children(job.tenantId(), job.jobId()).stream().map(Export::id).toList();
        int reported = -1;
        while (true) {
            if (lifecycle.cancelRequested(job.jobId())) {
                cancelChildren(job.tenantId(), children);
                lifecycle.cancel(job.jobId(), job.tenantId(), JobEventData.Cancelled.because("cancel requested"));
                return;
            }
            Map<UUID, JobStatus> statuses = jobs.statuses(children);
            int finished = (int) statuses.values().stream().filter(JobStatus::isTerminal).count();
            if (finished != reported) {
                lifecycle.progress(job.jobId(), job.tenantId(), new JobEventData.Progress(STEP, finished, children.size()));
                reported = finished;
            }
            if (finished == children.size()) {
                finish(job, statuses);
                return;
            }
            Thread.sleep(pollInterval.toMillis()); // polling the children's rows, not awaiting an outcome
        }
    }

    private void finish(BulkExportJob job, Map<UUID, JobStatus> statuses) {
        long failed = statuses.values().stream().filter(status -> status != JobStatus.SUCCEEDED).count();
        if (failed == 0) {
            int documents = exports.children(job.tenantId(), job.jobId()).stream()
                    .mapToInt(export -> export.documents() == null ? 0 : export.documents()).sum();
            lifecycle.succeed(job.jobId(), job.tenantId(), JobEventData.Succeeded.exported(documents));
        } else {
            lifecycle.fail(job.jobId(), job.tenantId(), JobEventData.Failed.NOTHING,
                    failed + " of " + statuses.size() + " exports did not succeed");
        }
    }

    private void cancelChildren(String tenant, List<UUID> children) {
        jobs.statuses(children).forEach((id, status) -> {
            try {
                switch (status) {
                    case QUEUED, RETRY_SCHEDULED -> {
                        lifecycle.cancel(id, tenant, JobEventData.Cancelled.because("bulk export cancelled"));
                        dispatcher.withdraw(id);
                    }
                    case RUNNING -> lifecycle.requestCancel(id, tenant,
                            new JobEventData.CancelRequested("bulk export cancelled"));
                    default -> {
                    }
                }
            } catch (IllegalTransitionException e) {
                log.debug("export {} moved on meanwhile: {}", id, e.current());
            }
        });
    }
}
