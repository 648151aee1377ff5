package dev.quarry.api.jobs;

import dev.quarry.api.web.PageCursor;
import dev.quarry.jobs.Job;

import java.util.List;
import java.util.function.Predicate;

/** One page of a tenant's jobs, newest first; {@code nextCursor} is null on the last page. */
record JobPage(List<JobView> items, String nextCursor) {

    /** The page of {@code size} from {@code rows}, which holds one row more when there is a next page. */
    static JobPage of(List<Job> rows, int size) {
        return of(rows, size, job -> true);
    }

    /**
     * The same page with only the jobs {@code shown} admits as items (the cursor still follows every row, so a
     * page may be short but none is skipped).
     */
    static JobPage of(List<Job> rows, int size, Predicate<Job> shown) {
        List<Job> page = rows.size() <= size ? rows : rows.subList(0, size);
        List<JobView> items = page.stream().filter(shown).map(JobView::of).toList();
        if (rows.size() <= size) return new JobPage(items, null);
        Job last = page.get(size - 1);
        return new JobPage(items, new PageCursor(last.createdAt(), last.id()).encode());
    }
}
