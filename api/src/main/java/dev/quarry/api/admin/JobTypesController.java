package dev.quarry.api.admin;

import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.Caller;
import dev.quarry.api.web.ProblemKind;
import dev.quarry.jobs.JobReleaser;
import dev.quarry.jobs.JobType;
import dev.quarry.jobs.JobTypeLimits;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Arrays;
import java.util.List;

/**
 * The job types as the queue treats them: each one's default priority and its cluster-wide concurrency
 * limit. Admins read them; only an operator changes a limit, because it holds for every tenant. A change
 * applies from the next release of any process on (jobs running above a lowered limit finish), and a
 * release runs at once so that a raised limit takes effect without waiting for the sweep.
 */
@RestController
@RequestMapping("/api/v1/admin/job-types")
class JobTypesController {
    private final JobTypeLimits limits;
    private final JobReleaser releaser;

    JobTypesController(JobTypeLimits limits, JobReleaser releaser) {
        this.limits = limits;
        this.releaser = releaser;
    }

    /** {@code maxRunning} null: no limit; {@code source}: runtime (an operator's), configured, or unlimited. */
    record JobTypeView(String type, int defaultPriority, Integer maxRunning, String source) {
        static JobTypeView of(JobTypeLimits.Limit limit) {
            return new JobTypeView(limit.type().tag(), limit.defaultPriority(), limit.maxRunning(), limit.source());
        }
    }

    record ConcurrencyChange(Integer maxRunning) {
    }

    @Operation(summary = "Every job type with its default priority and its cluster-wide concurrency limit")
    @GetMapping
    List<JobTypeView> all() {
        return limits.all().stream().map(JobTypeView::of).toList();
    }

    @Operation(summary = "Set a job type's cluster-wide concurrency limit (at least 1); operators only")
    @PutMapping("/{type}/concurrency")
    JobTypeView setLimit(Caller caller, @PathVariable String type, @RequestBody(required = false) ConcurrencyChange change) {
        JobType jobType = operatorsType(caller, type);
        if (change == null || change.maxRunning() == null || change.maxRunning() < 1) {
            throw new ApiProblem(ProblemKind.INVALID_CONCURRENCY_LIMIT, "maxRunning is required and at least 1; "
                    + "to lift a limit, DELETE it (the configured default holds again)");
        }
        JobTypeView view = JobTypeView.of(limits.set(jobType, change.maxRunning(), caller.subject()));
        releaser.requestReleaseAfterCommit();
        return view;
    }

    @Operation(summary = "Drop a job type's runtime limit: the configured default (or none) holds again; operators only")
    @DeleteMapping("/{type}/concurrency")
    JobTypeView resetLimit(Caller caller, @PathVariable String type) {
        JobTypeView view = JobTypeView.of(limits.reset(operatorsType(caller, type)));
        releaser.requestReleaseAfterCommit();
        return view;
    }

    private static JobType operatorsType(Caller caller, String type) {
        if (!caller.isOperator()) {
            throw new ApiProblem(ProblemKind.FORBIDDEN, "concurrency limits hold for every tenant: only an operator changes them");
        }
        return JobTypeLimits.find(type).orElseThrow(() -> new ApiProblem(ProblemKind.UNKNOWN_JOB_TYPE, "no job type '"
                + type + "'; known: " + Arrays.stream(JobType.values()).map(JobType::tag).toList()));
    }
}
