package dev.quarry.retention;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.time.Duration;

/**
 * The one owner of {@code retention_policies}. A tenant's policy is stored under the collection {@code ''};
 * a collection's may set only the documents' period (jobs and dead letters belong to no collection).
 */
@Repository
public class RetentionPolicies {
    private final JdbcClient jdbc;

    RetentionPolicies(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public RetentionPolicy find(String tenant, String collection) {
        return jdbc.sql("""
                        select extract(epoch from documents)::bigint as documents, extract(epoch from jobs)::bigint as jobs,
                               extract(epoch from dead_letters)::bigint as dead_letters
                        from retention_policies where tenant_id = ? and collection = ?""")
                .params(tenant, collection == null ? "" : collection)
                .query((rs, i) -> new RetentionPolicy(seconds(rs.getObject("documents")), seconds(rs.getObject("jobs")),
                        seconds(rs.getObject("dead_letters"))))
                .optional().orElse(RetentionPolicy.INHERITED);
    }

    /** Replaces the tenant's (collection null) or a collection's policy. */
    public void save(String tenant, String collection, RetentionPolicy policy) {
        jdbc.sql("""
                        insert into retention_policies (tenant_id, collection, documents, jobs, dead_letters)
                        values (?, ?, make_interval(secs => ?), make_interval(secs => ?), make_interval(secs => ?))
                        on conflict (tenant_id, collection) do update set documents = excluded.documents,
                            jobs = excluded.jobs, dead_letters = excluded.dead_letters, updated_at = now()""")
                .params(tenant, collection == null ? "" : collection, secondsOf(policy.documents()),
                        secondsOf(policy.jobs()), secondsOf(policy.deadLetters()))
                .update();
    }

    private static Duration seconds(Object value) {
        return value == null ? null : Duration.ofSeconds(((Number) value).longValue());
    }

    private static Long secondsOf(Duration duration) {
        return duration == null ? null : duration.toSeconds();
    }
}
