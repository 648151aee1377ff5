package dev.quarry.api.jobs;

import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.ProblemKind;
import dev.quarry.jobs.JobStatus;
import dev.quarry.jobs.JobType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.util.Map;

/**
 * Backpressure: once more jobs of a type wait (QUEUED or RETRY_SCHEDULED) than
 * {@code quarry.backpressure.max-waiting.<type>} allows, new submissions get 503 with Retry-After
 * instead of piling up. Counting stops at the limit, so the check costs at most that many index entries.
 */
@Component
@EnableConfigurationProperties(QueueDepthGuard.Limits.class)
public class QueueDepthGuard {
    private final JdbcClient jdbc;
    private final Limits limits;
    private final MeterRegistry meters;

    QueueDepthGuard(JdbcClient jdbc, Limits limits, MeterRegistry meters) {
        this.meters = meters;
        this.jdbc = jdbc;
        for (JobType type : JobType.values()) rejections(type); // at 0 from the start: alerts see a rate of 0
        this.limits = limits;
    }

    @ConfigurationProperties("quarry.backpressure")
    record Limits(Map<String, Integer> maxWaiting) {
        Limits {
            maxWaiting = maxWaiting == null ? Map.of() : Map.copyOf(maxWaiting);
        }
    }

    private Counter rejections(JobType type) {
        return Counter.builder("quarry.backpressure.rejections").description("Submissions refused: the queue was full")
                .tag("type", type.tag()).register(meters);
    }

    /** @throws ApiProblem queue-full (503) when the type's queue is at its limit */
    public void admit(JobType type) {
        admit(type, 1);
    }

    /**
     * For a request that would queue up to {@code wanted} jobs at once: how many of them the queue takes now
     * (all of them, or what is left below the limit), so that a bulk request cannot overshoot the limit.
     *
     * @throws ApiProblem queue-full (503) when {@code wanted > 0} and the type's queue is at its limit
     */
    public int admit(JobType type, int wanted) {
        Integer limit = limits.maxWaiting().get(type.tag());
        if (limit == null || wanted == 0) return wanted;
        // The partial index jobs_waiting serves exactly this set (JobStatusSchemaIT keeps them equal).
        int waiting = jdbc.sql("select count(*) from (select 1 from jobs where type = ? and status in ("
                        + JobStatus.sql(JobStatus.WAITING) + ") limit ?) waiting")
                .params(type.name(), limit).query(Integer.class).single();
        if (waiting >= limit) {
            rejections(type).increment();
            throw new ApiProblem(ProblemKind.QUEUE_FULL, limit + " " + type.tag()
                    + " jobs are already waiting; retry after the Retry-After delay");
        }
        return Math.min(wanted, limit - waiting);
    }
}
