package dev.quarry.jobs;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.time.Duration;
import java.util.Locale;

/**
 * The job meters of every family, in every process, recorded in one place: {@link PgJobStore} reports each
 * job it creates and each status change it makes, and this counts it once the transaction commits (a move
 * that rolls back happened to nobody). Handlers count nothing themselves, so a new family is measured
 * without a line of its own. Tags are the job type, the outcome and the error's class name: never an id or
 * a tenant.
 * <p>
 * The histograms publish percentile buckets, so that {@code histogram_quantile} works across all processes.
 */
@Component
class JobMeters {
    private final MeterRegistry meters;

    JobMeters(ObjectProvider<MeterRegistry> meters) {
        this.meters = meters.getIfAvailable(SimpleMeterRegistry::new);
        // Series at 0 from the start, so rates and alerts have data before the first job of a type.
        for (JobType type : JobType.values()) {
            accepted(type);
            queueTime(type);
            for (JobStatus status : JobStatus.TERMINAL) completed(type, status);
        }
    }

    /** A status change that {@link PgJobStore#move} made: from {@code previous} by {@code transition}. */
    record Move(JobType type, Transition transition, JobStatus previous, JobEventData data,
                Duration waited, Duration ran) {
    }

    void created(JobType type) {
        afterCommit(() -> accepted(type).increment());
    }

    void moved(Move move) {
        afterCommit(() -> record(move));
    }

    private void record(Move move) {
        String type = move.type().tag();
        JobStatus target = move.transition().target();
        if (move.transition() == Transition.START && move.waited() != null) {
            queueTime(move.type()).record(move.waited());
        }
        if (move.ran() != null && endsAttempt(move.previous(), target)) {
            Timer.builder("quarry.jobs.run.time").description("One attempt's run, start to outcome")
                    .tag("type", type).tag("status", tag(target)).publishPercentileHistogram()
                    .register(meters).record(move.ran());
        }
        if (target.isTerminal()) {
            completed(move.type(), target).increment();
        }
        if (move.data() instanceof JobEventData.RetryScheduled retry) {
            Counter.builder("quarry.jobs.retries").description("Retries scheduled")
                    .tag("type", type).tag("error", errorTag(retry.errorClass())).register(meters).increment();
        }
        if (move.data() instanceof JobEventData.DeadLettered dead) {
            Counter.builder("quarry.jobs.dead.letters").description("Jobs dead-lettered")
                    .tag("type", type).tag("error", errorTag(dead.errorClass())).register(meters).increment();
        }
    }

    private Counter accepted(JobType type) {
        return Counter.builder("quarry.jobs.accepted").description("Jobs accepted (created)")
                .tag("type", type.tag()).register(meters);
    }

    private Timer queueTime(JobType type) {
        return Timer.builder("quarry.jobs.queue.time").description("Time a job waited for a worker")
                .tag("type", type.tag()).publishPercentileHistogram().register(meters);
    }

    private Counter completed(JobType type, JobStatus status) {
        return Counter.builder("quarry.jobs.completed").description("Jobs finished, by outcome")
                .tag("type", type.tag()).tag("status", tag(status)).register(meters);
    }

    /** An attempt ends when a running job gets an outcome; a cancel request or a restart does not end it. */
    private static boolean endsAttempt(JobStatus previous, JobStatus target) {
        return (previous == JobStatus.RUNNING || previous == JobStatus.CANCEL_REQUESTED)
                && target != JobStatus.RUNNING && target != JobStatus.CANCEL_REQUESTED;
    }

    private static String tag(JobStatus status) {
        return status.name().toLowerCase(Locale.ROOT);
    }

    /** A class name is a bounded tag; anything else (a message, say) would not be, so it is cut down to one. */
    static String errorTag(String errorClass) {
        if (errorClass == null || errorClass.isBlank()) return "unknown";
        String simple = errorClass.substring(errorClass.lastIndexOf('.') + 1);
        return simple.matches("[A-Za-z0-9_$]{1,80}") ? simple : "other";
    }

    private static void afterCommit(Runnable count) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    count.run();
                }
            });
        } else {
            count.run();
        }
    }
}
