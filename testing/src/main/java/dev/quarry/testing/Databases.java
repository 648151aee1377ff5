package dev.quarry.testing;

import org.springframework.jdbc.core.JdbcTemplate;

/** Puts the shared test database back to empty between test classes. */
public final class Databases {
    private Databases() {
    }

    public static void truncateQuarryTables(JdbcTemplate jdbc) {
        jdbc.execute("truncate documents, document_contents, document_texts, pipeline_steps, chunks, jobs, job_events, "
                + "dead_letter_jobs, exports, export_parts, embedding_batches, idempotency_keys, embedding_usage, embedding_cache, reindexes, tenant_embedding_versions, "
                // After chunks: the order in which quarry_refresh_search_stats takes its locks (no deadlock).
                + "collection_settings, rate_limit_tiers, job_type_limits, job_release_turns, budget_usage, budget_raises, search_stats_dirty, search_term_stats, search_corpus_stats, "
                + "conversations, conversation_messages, api_requests, analytics_daily cascade");
    }
}
