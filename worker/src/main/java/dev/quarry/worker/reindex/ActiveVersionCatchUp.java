package dev.quarry.worker.reindex;

import dev.quarry.embedding.EmbeddingCatalog;
import dev.quarry.embedding.PgEmbeddingVersions;
import dev.quarry.jobs.Job;
import dev.quarry.reindex.ReindexInProgressException;
import dev.quarry.reindex.Reindexes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

import java.util.List;

/**
 * Keeps a tenant's active version complete when it is not the version new ingests write
 * ({@code QUARRY_EMBEDDING_VERSION}): after a reindex switched the tenant, documents ingested later exist
 * only in the configured version, and its searches would not find them. Every {@code catchUpInterval} each
 * such tenant with uncovered documents gets a reindex from the configured into its active version, the same
 * job an operator starts (so the same bounds, progress and retries). Until it has run, a new document is
 * missing from that tenant's searches; deploying with {@code QUARRY_EMBEDDING_VERSION} set to the new version
 * after a reindex avoids the gap. Any number of workers may run this: the unique index on running reindexes
 * lets one of them start it.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class ActiveVersionCatchUp {
    private static final Logger log = LoggerFactory.getLogger(ActiveVersionCatchUp.class);
    private final JdbcClient jdbc;
    private final Reindexes reindexes;
    private final PgEmbeddingVersions versions;
    private final EmbeddingCatalog catalog;

    ActiveVersionCatchUp(JdbcClient jdbc, Reindexes reindexes, PgEmbeddingVersions versions, EmbeddingCatalog catalog) {
        this.jdbc = jdbc;
        this.reindexes = reindexes;
        this.versions = versions;
        this.catalog = catalog;
    }

    private record Behind(String tenant, String activeVersion) {
    }

    @Scheduled(fixedDelayString = "${quarry.reindex.catch-up-interval:PT10S}",
            initialDelayString = "${quarry.reindex.catch-up-interval:PT10S}")
    void catchUp() {
        String configured = catalog.configured().tag();
        List<Behind> candidates = jdbc.sql("""
                        select t.tenant_id, t.active_version from tenant_embedding_versions t
                        where t.active_version <> ?""")
                .param(configured).query((rs, row) -> new Behind(rs.getString(1), rs.getString(2))).list();
        for (Behind behind : candidates) {
            try {
                if (!versions.uncovered(behind.tenant(), behind.activeVersion(), 1).isEmpty()) {
                    start(behind, configured);
                }
            } catch (RuntimeException e) {
                log.warn("catching up tenant {} failed: {}", behind.tenant(), e.toString());
            }
        }
    }

    private void start(Behind behind, String configured) {
        Job job;
        try {
            job = reindexes.start(behind.tenant(), configured, behind.activeVersion(), null, null);
        } catch (ReindexInProgressException e) {
            return; // it covers the new documents when it sweeps again, or the next catch-up does
        }
        log.info("tenant {}: new documents are missing from {}; catch-up reindex {}", behind.tenant(),
                behind.activeVersion(), job.id());
    }
}
