package dev.quarry.worker.retention;

import dev.quarry.analytics.PgApiRequests;
import dev.quarry.audit.AuditRecord;
import dev.quarry.audit.AuditTrail;
import dev.quarry.deletion.DocumentDeletion;
import dev.quarry.embedding.batch.EmbeddingBatches;
import dev.quarry.exports.Exports;
import dev.quarry.jobs.DeadLetters;
import dev.quarry.jobs.PgJobStore;
import dev.quarry.retention.ExpiredRows;
import dev.quarry.retention.RetentionPlan;
import dev.quarry.retention.RetentionProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jobrunr.jobs.annotations.Job;
import org.jobrunr.jobs.annotations.Recurring;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.IntSupplier;

/**
 * Enforces the retention policies: expired documents (with everything derived, through
 * {@link DocumentDeletion}, one document per transaction), finished jobs with their events, dead letters and
 * audit entries. A JobRunr recurring job, every {@code quarry.retention.interval} (1 h by default): every
 * worker registers it under one id and JobRunr's master server schedules each run once. Each kind goes in
 * batches of {@code quarry.retention.batch} rows, each its own short transaction, so a sweep never holds
 * many locks and searches keep running. Tracked API requests go through their owner ({@link PgApiRequests}),
 * after {@code quarry.retention.api-requests} (90 days). Counts per kind go to {@code quarry.retention.deleted{kind}} and
 * into one audit entry per sweep. Expired export files go through their owner ({@link Exports#deleteExpired},
 * which keeps the export row as the record of what was exported), counted as the kind {@code export_files};
 * expired embedding results likewise ({@link EmbeddingBatches#deleteExpired}), as {@code embedding_results}.
 * Public, with a public method: JobRunr calls it through Spring by reflection.
 */
@Component
public class RetentionSweep {
    static final String RECURRING_JOB_ID = "retention-sweep";
    private static final Logger log = LoggerFactory.getLogger(RetentionSweep.class);
    private final ExpiredRows expired;
    private final DocumentDeletion deletion;
    private final PgJobStore jobs;
    private final DeadLetters deadLetters;
    private final AuditTrail audit;
    private final Exports exports;
    private final EmbeddingBatches embeddingBatches;
    private final PgApiRequests apiRequests;
    private final int batch;
    private final MeterRegistry meters;

    RetentionSweep(ExpiredRows expired, DocumentDeletion deletion, PgJobStore jobs, DeadLetters deadLetters,
                   AuditTrail audit, Exports exports, EmbeddingBatches embeddingBatches, PgApiRequests apiRequests,
                   RetentionProperties properties,
                   MeterRegistry meters) {
        this.expired = expired;
        this.deletion = deletion;
        this.jobs = jobs;
        this.deadLetters = deadLetters;
        this.audit = audit;
        this.exports = exports;
        this.embeddingBatches = embeddingBatches;
        this.apiRequests = apiRequests;
        this.batch = properties.batch();
        this.meters = meters;
    }

    @Recurring(id = RECURRING_JOB_ID, interval = "${quarry.retention.interval:PT1H}")
    @Job(name = "Retention sweep")
    public RetentionPlan sweep() {
        long documents = inBatches("documents", () -> {
            int deleted = 0;
            for (ExpiredRows.ExpiredDocument d : expired.documents(batch)) {
                if (deletion.delete(d.tenant(), d.id()).isPresent()) deleted++;
            }
            return deleted;
        });
        // Before the jobs: an expired EXPORT or EMBED_BATCH job takes its row along, and its file must be counted here.
        long exportFiles = inBatches("export_files", () -> exports.deleteExpired(batch));
        long embeddingResults = inBatches("embedding_results", () -> embeddingBatches.deleteExpired(batch));
        long finishedJobs = inBatches("jobs", deleting(expired::jobs, jobs::deleteFinished));
        long letters = inBatches("dead_letters", deleting(expired::deadLetters, deadLetters::deleteForRetention));
        long auditEntries = inBatches("audit_entries", () -> audit.prune(expired.auditCutoff().toInstant(), batch));
        long requests = inBatches("api_requests", () -> apiRequests.deleteRecordedBefore(expired.apiRequestCutoff(), batch));
        RetentionPlan done = new RetentionPlan(documents, finishedJobs, letters, auditEntries, exportFiles,
                embeddingResults, requests);
        audit.record(AuditRecord.system("retention", null, "RETENTION sweep", null, "succeeded documents=" + documents
                + " jobs=" + finishedJobs + " deadLetters=" + letters + " auditEntries=" + auditEntries
                + " exportFiles=" + exportFiles + " embeddingResults=" + embeddingResults + " apiRequests=" + requests));
        if (documents + finishedJobs + letters + auditEntries + exportFiles + embeddingResults + requests > 0) {
            log.info("retention sweep deleted {}", done);
        }
        return done;
    }

    private IntSupplier deleting(Function<Integer, List<UUID>> find, Function<List<UUID>, Integer> delete) {
        return () -> delete.apply(find.apply(batch));
    }

    /**
     * Runs one batch after another until one deletes less than a full batch (a row that changed between the
     * read and the delete is skipped, and cannot keep the loop going); counts what was deleted.
     */
    private long inBatches(String kind, IntSupplier oneBatch) {
        Counter counter = Counter.builder("quarry.retention.deleted").tag("kind", kind)
                .description("Rows deleted by the retention sweep").register(meters);
        long total = 0;
        int found;
        do {
            found = oneBatch.getAsInt();
            counter.increment(found);
            total += found;
        } while (found == batch);
        return total;
    }
}
