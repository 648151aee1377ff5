package dev.quarry.api.search;

import dev.quarry.search.SearchStatistics;
import com.fasterxml.jackson.databind.JsonNode;
import com.pgvector.PGvector;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.testing.TestTokens;
import dev.quarry.embedding.EmbeddingVersion;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** BM25's statistics: stale markers from ingest, the lazy single-flight refresh, and stale-but-correct reads. */
class SearchStatisticsIT extends ApiIntegrationTest {
    private final String token = TestTokens.forTenant("acme");
    @Autowired
    EmbeddingModel embeddings;
    @Autowired
    EmbeddingVersion version;
    @Autowired
    DataSource dataSource;
    @Autowired
    SearchStatistics statistics;
    private SearchCorpus corpus;

    @BeforeEach
    void corpus() {
        corpus = new SearchCorpus(jdbc, embeddings, version.tag());
    }

    private int markers() {
        return jdbc.queryForObject("select count(*) from search_stats_dirty where tenant_id = 'acme'", Integer.class);
    }

    @Test
    void ingest_marks_statistics_stale_and_a_search_refreshes_them_in_the_background() {
        corpus.add(SearchCorpus.Doc.of("acme", "a"), "compressor stall at low speed", "compressor surge margin");
        corpus.add(SearchCorpus.Doc.of("acme", "b"), "fan blade flutter");
        assertThat(markers()).isPositive();

        // Searches check staleness at most every stats-check-interval per tenant, so keep searching.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(get("/api/v1/search?q=compressor&mode=keyword", token).statusCode()).isEqualTo(200);
            assertThat(markers()).isZero();
        });
        assertThat(jdbc.queryForObject("""
                select chunk_count from search_corpus_stats where tenant_id = 'acme' and embedding_version = ?""",
                Long.class, version.tag())).isEqualTo(3);
        assertThat(jdbc.queryForObject("""
                select doc_freq from search_term_stats
                where tenant_id = 'acme' and embedding_version = ? and lexeme = 'compressor'""",
                Integer.class, version.tag())).isEqualTo(2);
    }

    @Test
    void a_word_the_stale_statistics_do_not_know_is_counted_on_the_spot() {
        for (int i = 0; i < 5; i++) corpus.add(SearchCorpus.Doc.of("acme", "old " + i), "nozzle exit pressure " + i);
        assertThat(statistics.refresh("acme", version.tag())).isTrue();
        UUID fresh = corpus.add(SearchCorpus.Doc.of("acme", "new"), "nozzle exit scramjet");

        JsonNode results = json(get("/api/v1/search?q=nozzle%20scramjet&mode=keyword", token));

        assertThat(results.path("hits").get(0).path("documentId").asText()).isEqualTo(fresh.toString());
        assertThat(results.path("hits")).hasSize(6);
    }

    @Test
    void the_refresh_is_single_flight_across_processes() throws SQLException {
        corpus.add(SearchCorpus.Doc.of("acme", "a"), "wing tip vortex");
        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (var lock = other.prepareStatement(
                    "select pg_advisory_xact_lock(hashtextextended('quarry.search_stats/' || ? || '/' || ?, 0))")) {
                lock.setString(1, "acme");
                lock.setString(2, version.tag());
                lock.execute();
            }
            assertThat(statistics.refresh("acme", version.tag())).isFalse();
            assertThat(markers()).isEqualTo(1);
            other.rollback();
        }
        assertThat(statistics.refresh("acme", version.tag())).isTrue();
        assertThat(markers()).isZero();
    }

    @Test
    void concurrent_ingest_transactions_of_one_tenant_never_wait_for_each_other() throws SQLException {
        UUID document = corpus.add(SearchCorpus.Doc.of("acme", "a"), "first chunk");
        try (Connection first = dataSource.getConnection(); Connection second = dataSource.getConnection()) {
            first.setAutoCommit(false);
            second.setAutoCommit(false);
            insertChunk(first, document, 1);
            insertChunk(first, document, 3);
            try (var timeout = second.createStatement()) {
                timeout.execute("set local lock_timeout = '2s'");
            }
            insertChunk(second, document, 2); // would fail with a lock timeout behind a shared counter row
            second.commit();
            first.commit();
        }
        assertThat(markers()).as("one marker per transaction and key").isEqualTo(3);
    }

    private void insertChunk(Connection connection, UUID document, int ordinal) throws SQLException {
        try (var insert = connection.prepareStatement("""
                insert into chunks (tenant_id, document_id, ordinal, text, token_count, embedding, embedding_version)
                values ('acme', ?, ?, 'another chunk', 2, ?, ?)""")) {
            insert.setObject(1, document);
            insert.setInt(2, ordinal);
            insert.setObject(3, new PGvector(new float[384]));
            insert.setString(4, version.tag());
            insert.executeUpdate();
        }
    }
}
