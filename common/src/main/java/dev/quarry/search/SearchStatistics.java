package dev.quarry.search;

import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Keeps BM25's corpus statistics fresh, lazily and off the request path. Ingest only appends a
 * "stale" marker (a trigger on chunks, see V2__search.sql), so it never contends on a shared row. A search
 * checks the markers of its tenant at most once per {@code statsCheckInterval} and, if there are any,
 * hands the refresh to one background thread; the search itself goes on with the previous statistics
 * (lexemes they do not know yet are counted on the spot). The SQL refresh is single-flight across API
 * processes through an advisory lock, and here through the set of keys in flight.
 */
@Component
public class SearchStatistics {
    private static final Logger log = LoggerFactory.getLogger(SearchStatistics.class);
    private final JdbcClient jdbc;
    private final SearchProperties properties;
    private final Clock clock;
    private final Map<String, Instant> lastChecked = new ConcurrentHashMap<>();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final ExecutorService refresher = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "search-stats-refresh");
        thread.setDaemon(true);
        return thread;
    });

    SearchStatistics(JdbcClient jdbc, SearchProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = Clock.systemUTC();
    }

    /** Schedules a refresh if the tenant's statistics are stale; returns at once. */
    void refreshIfStale(String tenant, String version) {
        String key = tenant + '\u0000' + version;
        Instant now = clock.instant();
        Instant previous = lastChecked.get(key);
        if (previous != null && previous.plus(properties.statsCheckInterval()).isAfter(now)) return;
        if (previous == null ? lastChecked.putIfAbsent(key, now) != null : !lastChecked.replace(key, previous, now)) {
            return; // another request is checking this key right now
        }
        if (!stale(tenant, version) || !inFlight.add(key)) return;
        refresher.execute(() -> {
            try {
                refresh(tenant, version);
            } catch (RuntimeException e) {
                log.warn("refreshing search statistics of tenant {} failed: {}", tenant, e.toString());
            } finally {
                inFlight.remove(key);
            }
        });
    }

    /** Recomputes now, in the caller's thread; false if another process is already at it. */
    public boolean refresh(String tenant, String version) {
        return Boolean.TRUE.equals(jdbc.sql("select quarry_refresh_search_stats(:tenant, :version)")
                .param("tenant", tenant).param("version", version).query(Boolean.class).single());
    }

    private boolean stale(String tenant, String version) {
        return Boolean.TRUE.equals(jdbc.sql("""
                        select exists (select 1 from search_stats_dirty
                                       where tenant_id = :tenant and embedding_version = :version)""")
                .param("tenant", tenant).param("version", version).query(Boolean.class).single());
    }

    @PreDestroy
    void stop() {
        refresher.shutdownNow();
    }
}
