package dev.quarry.jobs;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.quarry.events.JobEventType;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The payload of a job event, one record per {@link JobEventType}. {@link JobLifecycle} serializes it as the
 * {@code data} of the {@code job_events} row (and of the SSE event), adding {@code status} and, for a change
 * with one, {@code error}; null fields are left out. Field names are the wire names clients read: keep them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface JobEventData {

    /** Which event this is: its SSE {@code event:} name. */
    @JsonIgnore
    JobEventType eventType();

    /** A new job; {@code type} is the job type's tag. */
    record Queued(String type) implements JobEventData {
        public Queued(JobType type) {
            this(type.tag());
        }

        @Override
        public JobEventType eventType() {
            return JobEventType.QUEUED;
        }
    }

    /** An operator sent a dead-lettered or failed job back to work. */
    record Requeued(UUID deadLetterId) implements JobEventData {
        @JsonProperty("requeued")
        public boolean requeued() {
            return true;
        }

        @Override
        public JobEventType eventType() {
            return JobEventType.QUEUED;
        }
    }

    /** An attempt began; {@code worker} says which process ran it, {@code unchanged} that there was nothing to do. */
    record Started(UUID documentId, String worker, Boolean unchanged) implements JobEventData {
        public static final Started NOTHING = new Started(null, null, null);

        @Override
        public JobEventType eventType() {
            return JobEventType.STARTED;
        }
    }

    /** Progress within a step; {@code details} are flattened into the payload (e.g. the scrubber's counts). */
    record Progress(String step, int done, int total, @JsonIgnore Map<String, Object> details) implements JobEventData {
        public Progress(String step, int done, int total) {
            this(step, done, total, Map.of());
        }

        public Progress {
            details = Map.copyOf(details);
        }

        @JsonProperty("percent")
        public int percent() {
            return total == 0 ? 0 : (int) Math.round(100.0 * done / total);
        }

        @JsonAnyGetter
        public Map<String, Object> flattened() {
            return details;
        }

        @Override
        public JobEventType eventType() {
            return JobEventType.PROGRESS;
        }
    }

    /** A failed attempt; the job runs again at {@code nextRunAt}. */
    record RetryScheduled(int attempt, Instant nextRunAt, String errorClass) implements JobEventData {
        @Override
        public JobEventType eventType() {
            return JobEventType.RETRYING;
        }
    }

    record CancelRequested(String reason) implements JobEventData {
        public static final CancelRequested BY_CLIENT = new CancelRequested(null);

        @Override
        public JobEventType eventType() {
            return JobEventType.CANCEL_REQUESTED;
        }
    }

    record Cancelled(UUID documentId, String reason, String targetVersion) implements JobEventData {
        public static Cancelled because(String reason) {
            return new Cancelled(null, reason, null);
        }

        @Override
        public JobEventType eventType() {
            return JobEventType.CANCELLED;
        }
    }

    /**
     * The job's outcome: for an ingest the document and its chunk count (or {@code unchanged}), for a reindex
     * the target version and how many documents it covers, for an export how many documents it holds.
     */
    record Succeeded(UUID documentId, Integer chunkCount, Boolean unchanged, String targetVersion, Integer documents)
            implements JobEventData {
        public static final Succeeded NOTHING = new Succeeded(null, null, null, null, null);

        public static Succeeded ingested(UUID documentId, int chunkCount) {
            return new Succeeded(documentId, chunkCount, null, null, null);
        }

        public static Succeeded reindexed(String targetVersion, int documents) {
            return new Succeeded(null, null, null, targetVersion, documents);
        }

        /** An export file (or every file of a bulk export) holding {@code documents} documents. */
        public static Succeeded exported(int documents) {
            return new Succeeded(null, null, null, null, documents);
        }

        @Override
        public JobEventType eventType() {
            return JobEventType.SUCCEEDED;
        }
    }

    /** Ended without success and without a dead letter (nothing to retry: e.g. a closed reindex). */
    record Failed(UUID documentId) implements JobEventData {
        public static final Failed NOTHING = new Failed(null);

        @Override
        public JobEventType eventType() {
            return JobEventType.FAILED;
        }
    }

    /** Failed for good; {@code deadLetterId} is the {@code dead_letter_jobs} entry an operator may requeue. */
    record DeadLettered(String classification, UUID deadLetterId, String errorClass, int attempts)
            implements JobEventData {
        @Override
        public JobEventType eventType() {
            return JobEventType.DEAD_LETTERED;
        }
    }
}
