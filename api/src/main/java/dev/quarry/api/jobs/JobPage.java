package dev.quarry.api.jobs;

import dev.quarry.api.web.PageCursor;
import dev.quarry.jobs.Job;

import java.util.List;

/** One page of a tenant's jobs, newest first; {@code nextCursor} is null on the last page. */
record JobPage(List<JobView> items, String nextCursor) {

    /** The page of {@code size} from {@code rows}, which holds one row more when there is a next page. */
    static JobPage of(List<Job> rows, int size) {
        List<Job> page = rows.size() <= size ? rows : rows.subList(0, size);
        List<JobView> items = page.stream().map(JobView::of).toList();
        if (rows.size() <= size) return new JobPage(items, null);
        Job last = page.get(size - 1);
        return new JobPage(items, new PageCursor(last.createdAt(), last.id()).encode());
    }
}
