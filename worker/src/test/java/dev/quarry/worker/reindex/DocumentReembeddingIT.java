package dev.quarry.worker.reindex;

import com.pgvector.PGvector;
import dev.quarry.embedding.Embedder;
import dev.quarry.embedding.EmbeddingCatalog;
import dev.quarry.embedding.EmbeddingVersion;
import dev.quarry.embedding.PgEmbeddingVersions;
import dev.quarry.testing.Databases;
import dev.quarry.worker.testing.WorkerContext;
import org.junit.jupiter.api.BeforeEach;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Re-embedding one document into another version, with the real models and PostgreSQL. */
class DocumentReembeddingIT extends WorkerContext {
    private static final String TENANT = "reembed";
    @Autowired
    DocumentReembedding reembedding;
    @Autowired
    EmbeddingCatalog catalog;
    @Autowired
    PgEmbeddingVersions versions;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    MeterRegistry meters;
    @Autowired
    ApplicationContext context;

    private EmbeddingVersion source;
    private EmbeddingVersion target;
    private UUID document;

    @BeforeEach
    void oneIngestedDocument() {
        Databases.truncateQuarryTables(jdbc);
        source = catalog.configured();
        target = catalog.require("all-minilm-l6-v2@1");
        versions.register(target);
        document = UUID.randomUUID();
        jdbc.update("""
                insert into documents (id, tenant_id, title, media_type, size_bytes, content_sha256, status, chunk_count)
                values (?, ?, 'turbines', 'text/plain', 1, 'x', 'INDEXED', 2)""", document, TENANT);
        ingest(List.of("Gas turbines compress air before combustion.", "Blades are cooled by bleed air."));
    }

    /**
     * As the ingest's store step does: the document's chunks replaced in one transaction, one stamp. The first
     * chunk sits under a heading, the others under none.
     */
    private void ingest(List<String> texts) {
        tx.executeWithoutResult(status -> {
            jdbc.update("update documents set updated_at = now() where id = ?", document);
            jdbc.update("delete from chunks where document_id = ? and embedding_version = ?", document, source.tag());
            for (int i = 0; i < texts.size(); i++) {
                jdbc.update("""
                        insert into chunks (tenant_id, document_id, ordinal, text, token_count, section_path, embedding,
                                            embedding_version)
                        values (?, ?, ?, ?, 7, ?, ?, ?)""", TENANT, document, i, texts.get(i), i == 0 ? "Turbines > Gas" : null,
                        new PGvector(catalog.model(source).embed(texts.get(i)).content().vector()), source.tag());
            }
        });
    }

    @Test
    void the_same_chunks_are_written_with_new_vectors_and_the_ingest_stamp_and_a_rerun_changes_nothing() {
        assertThat(versions.uncovered(TENANT, target.tag(), 10)).containsExactly(document);

        assertThat(reembedding.reembed(TENANT, document, target)).isEqualTo(2);

        assertThat(versions.uncovered(TENANT, target.tag(), 10)).isEmpty();
        assertThat(versions.uncovered(TENANT, source.tag(), 10)).as("the source stays current").isEmpty();
        List<Map<String, Object>> copied = jdbc.queryForList("""
                select t.ordinal, t.text = s.text as same_text, t.token_count = s.token_count as same_tokens,
                       t.created_at = s.created_at as same_stamp, t.embedding <> s.embedding as new_vector,
                       t.section_path is not distinct from s.section_path as same_path, t.section_path
                from chunks t join chunks s on s.document_id = t.document_id and s.ordinal = t.ordinal
                where t.embedding_version = ? and s.embedding_version = ? order by t.ordinal""",
                target.tag(), source.tag());
        assertThat(copied).hasSize(2).allSatisfy(row -> assertThat(row).containsEntry("same_text", true)
                .containsEntry("same_tokens", true).containsEntry("same_stamp", true).containsEntry("new_vector", true)
                .containsEntry("same_path", true));
        assertThat(copied.get(0)).containsEntry("section_path", "Turbines > Gas");

        assertThat(reembedding.reembed(TENANT, document, target)).as("already current").isZero();
        assertThat(count(target)).isEqualTo(2);
        // Billed once, to the target version's model (in-process: 0 USD), with the chunks' token counts.
        assertThat(jdbc.queryForMap("select model, tokens, segments, calls, cost_usd from embedding_usage "
                + "where tenant_id = ? and version = ?", TENANT, target.tag()))
                .containsEntry("model", "all-minilm-l6-v2").containsEntry("tokens", 14L)
                .containsEntry("segments", 2L).containsEntry("calls", 1L);
    }

    @Test
    void a_re_ingest_makes_the_target_stale_until_it_is_re_embedded_from_the_new_texts() {
        reembedding.reembed(TENANT, document, target);

        ingest(List.of("Steam turbines drive generators.", "Condensers recover the water.", "Feed pumps return it."));

        assertThat(versions.uncovered(TENANT, target.tag(), 10)).containsExactly(document);
        assertThat(reembedding.reembed(TENANT, document, target)).isEqualTo(3);
        assertThat(versions.uncovered(TENANT, target.tag(), 10)).isEmpty();
        assertThat(jdbc.queryForList("select text from chunks where embedding_version = ? order by ordinal",
                String.class, target.tag())).containsExactly("Steam turbines drive generators.",
                "Condensers recover the water.", "Feed pumps return it.");
    }

    @Test
    void texts_cached_for_the_target_version_are_not_embedded_again() {
        reembedding.reembed(TENANT, document, target);
        jdbc.update("delete from chunks where embedding_version = ?", target.tag());
        jdbc.update("delete from embedding_usage");
        double hits = cache("hit"), misses = cache("miss"), segments = segmentsEmbedded();

        assertThat(reembedding.reembed(TENANT, document, target)).isEqualTo(2);

        assertThat(cache("hit") - hits).isEqualTo(2);
        assertThat(cache("miss") - misses).isZero();
        assertThat(segmentsEmbedded() - segments).as("nothing reached the model").isZero();
        assertThat(jdbc.queryForObject("select count(*) from embedding_usage", Integer.class)).as("nothing billed")
                .isZero();
        assertThat(versions.uncovered(TENANT, target.tag(), 10)).isEmpty();
    }

    @Test
    void a_reindex_embeds_through_the_one_embedder_and_batcher_that_ingest_uses() {
        long calls = meters.get("quarry.embedding.call").timer().count();
        double segments = segmentsEmbedded();
        double reindexCalls = reindexCalls();

        reembedding.reembed(TENANT, document, target);

        assertThat(meters.get("quarry.embedding.call").timer().count()).isGreaterThan(calls);
        // Counted as the request completes, on the batcher's thread: a moment after the caller has its vectors.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(reindexCalls()).isGreaterThan(reindexCalls));
        assertThat(segmentsEmbedded() - segments).isEqualTo(2);
        assertThat(context.getBeansOfType(Embedder.class)).hasSize(1);
    }

    private double cache(String result) {
        return meters.get("quarry.embedding.cache").tag("result", result).counter().count();
    }

    private double reindexCalls() {
        var counter = meters.find("quarry.embedding.calls")
                .tags("provider", "in-process", "caller", "reindex", "outcome", "success").counter();
        return counter == null ? 0 : counter.count();
    }

    private double segmentsEmbedded() {
        return meters.get("quarry.embedding.segments").counter().count();
    }

    @Test
    void a_deleted_document_is_nothing_to_do() {
        jdbc.update("delete from documents where id = ?", document);
        assertThat(reembedding.reembed(TENANT, document, target)).isZero();
        assertThat(count(target)).isZero();
    }

    private int count(EmbeddingVersion version) {
        return jdbc.queryForObject("select count(*) from chunks where embedding_version = ?", Integer.class,
                version.tag());
    }
}
