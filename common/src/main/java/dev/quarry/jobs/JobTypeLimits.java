package dev.quarry.jobs;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Cluster-wide limits on how many jobs of a type hold a slot at once (running, released to JobRunr, or
 * waiting for a retry, which JobRunr starts without asking the releaser). The configured defaults
 * ({@link ReleaseProperties#maxRunning()}) hold until an operator sets a type's limit, which is stored in
 * {@code job_type_limits} and read by every process's releaser on its next release.
 */
@Component
@EnableConfigurationProperties(ReleaseProperties.class)
public class JobTypeLimits {
    private final JdbcClient jdbc;
    private final ReleaseProperties properties;

    /** A type's limit as it stands: {@code maxRunning} null means unlimited; {@code source} says where it comes from. */
    public record Limit(JobType type, Integer maxRunning, String source, int defaultPriority) {
    }

    JobTypeLimits(JdbcClient jdbc, ReleaseProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
    }

    /** The type a tag or name ({@code export}, {@code EXPORT}) stands for. */
    public static Optional<JobType> find(String tagOrName) {
        return Arrays.stream(JobType.values()).filter(type -> type.name().equalsIgnoreCase(tagOrName)).findFirst();
    }

    static JobType typeOf(String tag) {
        return find(tag).orElseThrow(() -> new IllegalArgumentException("no job type " + tag + "; known: "
                + Arrays.stream(JobType.values()).map(JobType::tag).toList()));
    }

    /** The limited types and their limits, for one release. */
    Map<JobType, Integer> effective() {
        Map<JobType, Integer> limits = new EnumMap<>(JobType.class);
        properties.maxRunning().forEach((tag, limit) -> limits.put(typeOf(tag), limit));
        limits.putAll(stored());
        return limits;
    }

    private Map<JobType, Integer> stored() {
        Map<JobType, Integer> stored = new EnumMap<>(JobType.class);
        jdbc.sql("select type, max_running from job_type_limits").query((rs, row) -> {
            String name = rs.getString(1);
            int limit = rs.getInt(2);
            find(name).ifPresent(type -> stored.put(type, limit));
            return null;
        }).list();
        return stored;
    }

    /** Every type with its limit, for the admin API. */
    public List<Limit> all() {
        Map<JobType, Integer> stored = stored();
        return Arrays.stream(JobType.values()).map(type -> {
            if (stored.containsKey(type)) return new Limit(type, stored.get(type), "runtime", type.defaultPriority());
            Integer configured = properties.maxRunning().get(type.tag());
            return new Limit(type, configured, configured == null ? "unlimited" : "configured", type.defaultPriority());
        }).toList();
    }

    /**
     * Sets a type's limit for the whole cluster; the releasers apply it from their next release on (jobs
     * already running above a lowered limit finish).
     *
     * @throws IllegalArgumentException if {@code maxRunning} is below 1
     */
    public Limit set(JobType type, int maxRunning, String actor) {
        if (maxRunning < 1) throw new IllegalArgumentException("a concurrency limit is at least 1, not " + maxRunning);
        jdbc.sql("""
                        insert into job_type_limits (type, max_running, updated_by) values (?, ?, ?)
                        on conflict (type) do update set max_running = excluded.max_running,
                            updated_by = excluded.updated_by, updated_at = now()""")
                .params(type.name(), maxRunning, actor).update();
        return new Limit(type, maxRunning, "runtime", type.defaultPriority());
    }

    /** Drops the runtime limit: the configured default (or none) holds again. */
    public Limit reset(JobType type) {
        jdbc.sql("delete from job_type_limits where type = ?").param(type.name()).update();
        return all().stream().filter(limit -> limit.type() == type).findFirst().orElseThrow();
    }
}
